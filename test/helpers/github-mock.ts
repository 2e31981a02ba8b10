/** nock builders for the GitHub REST API calls the app makes; statuses are captured in order. */
import nock from 'nock';
import type { TestRepo } from './webhook-payloads.js';

export const GITHUB_API = 'https://api.github.com';

export interface PostedStatus {
  sha: string;
  state: string;
  description: string;
  context: string;
  target_url?: string;
}

export function fakeSha(seed: string | number): string {
  let h = 2166136261;
  const s = String(seed);
  let out = '';
  for (let round = 0; out.length < 40; round++) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

export interface FakeCommit {
  sha: string;
  message: string;
  login?: string | null;
  parents?: string[];
}

export function apiCommit(c: FakeCommit, owner: string, repo: string): Record<string, unknown> {
  return {
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 8)}`,
    html_url: `https://github.com/${owner}/${repo}/commit/${c.sha}`,
    commit: {
      message: c.message,
      author: { name: c.login ?? 'Someone', email: 'someone@example.com', date: '2026-11-20T10:00:00Z' },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: '2026-11-20T10:00:00Z' },
    },
    author: c.login === null ? null : { login: c.login ?? 'dev1', id: 1, type: 'User' },
    parents: (c.parents ?? [fakeSha(`parent-${c.sha}`)]).map((sha) => ({ sha, url: '' })),
  };
}

export function mockGitHub(target: TestRepo) {
  const { owner, repo, installationId } = target;
  const statuses: PostedStatus[] = [];
  const base = `/repos/${owner}/${repo}`;
  const scope = () => nock(GITHUB_API);
  return {
    statuses,
    installationToken() {
      scope()
        .post(`/app/installations/${installationId}/access_tokens`)
        .reply(201, { token: 'ghs_installation_token', expires_at: '2099-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' });
    },
    /**
     * `.github/deploy-checker.yml`: YAML text, or null for "no such file" — then, like Probot's context.config,
     * the organisation's `<owner>/.github` repository is asked (`orgYaml`, null: not there either).
     */
    config(yaml: string | null, times = 1, orgYaml: string | null = null) {
      const file = (repoName: string) => new RegExp(`^/repos/${owner}/${repoName.replace('.', '\\.')}/contents/\\.github(%2F|/)deploy-checker\\.yml`);
      const reply = (s: nock.Interceptor, text: string | null) =>
        text === null ? s.reply(404, { message: 'Not Found' }) : s.reply(200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
      reply(scope().get(file(repo)).times(times), yaml);
      if (yaml === null) reply(scope().get(file('.github')).times(times), orgYaml);
    },
    branch(name: string, sha: string | null) {
      const s = scope().get(`${base}/branches/${encodeURIComponent(name)}`);
      if (sha === null) s.reply(404, { message: 'Branch not found' });
      else s.reply(200, { name, commit: { sha }, protected: false });
    },
    /** Registers every page of a compare, 100 commits a page, like GitHub paginates it. */
    compare(baseSha: string, headSha: string, commits: FakeCommit[], info: { status?: string; aheadBy?: number; behindBy?: number } = {}) {
      const pages = Math.max(1, Math.ceil(commits.length / 100));
      for (let page = 1; page <= pages; page++) {
        scope()
          .get(`${base}/compare/${baseSha}...${headSha}`)
          .query({ per_page: '100', page: String(page) })
          .reply(200, {
            status: info.status ?? (commits.length ? 'ahead' : 'identical'),
            ahead_by: info.aheadBy ?? commits.length,
            behind_by: info.behindBy ?? 0,
            total_commits: commits.length,
            commits: commits.slice((page - 1) * 100, page * 100).map((c) => apiCommit(c, owner, repo)),
            files: [],
          });
      }
    },
    compareFails(baseSha: string, headSha: string, status: number) {
      scope().get(`${base}/compare/${baseSha}...${headSha}`).query(true).reply(status, { message: 'Server Error' });
    },
    /** GET of a pull request as it is now. */
    pull(pr: {
      number: number;
      title: string;
      headRef: string;
      headSha: string;
      baseRef: string;
      draft?: boolean;
      labels?: string[];
      author?: string;
      state?: string;
    }) {
      scope()
        .get(`${base}/pulls/${pr.number}`)
        .reply(200, {
          number: pr.number,
          title: pr.title,
          html_url: `https://github.com/${owner}/${repo}/pull/${pr.number}`,
          state: pr.state ?? 'open',
          draft: pr.draft ?? false,
          user: { login: pr.author ?? 'dev1', type: pr.author?.endsWith('[bot]') ? 'Bot' : 'User' },
          labels: (pr.labels ?? []).map((name) => ({ name })),
          head: { ref: pr.headRef, sha: pr.headSha },
          base: { ref: pr.baseRef, sha: fakeSha(`base-${pr.baseRef}`) },
        });
    },
    permission(login: string, role: string) {
      scope()
        .get(`${base}/collaborators/${login}/permission`)
        .reply(200, { permission: role === 'maintain' ? 'write' : role, role_name: role, user: { login } });
    },
    reaction(commentId: number, content = 'eyes') {
      scope().post(`${base}/issues/comments/${commentId}/reactions`, { content }).reply(201, { id: 1, content });
    },
    /** Expects a comment on an issue or pull request; returns the captured bodies. */
    comment(number: number, bodies: string[]) {
      scope()
        .post(`${base}/issues/${number}/comments`, (body: { body: string }) => {
          bodies.push(body.body);
          return true;
        })
        .reply(201, { id: 99 });
    },
    /** Expects `times` statuses on `sha`; they are captured into `statuses` in order. */
    status(sha: string, times = 1) {
      scope()
        .post(`${base}/statuses/${sha}`, (body: Record<string, unknown>) => {
          statuses.push({ sha, ...(body as Omit<PostedStatus, 'sha'>) });
          return true;
        })
        .times(times)
        .reply(201, {});
    },
  };
}
