/**
 * The one GitHub edge: everything the app asks of GitHub's REST API for an installation goes through `GitHubEdge`,
 * built per installation from its Octokit (`createGitHubEdge`; src/github/installation-octokit.ts caches them).
 * Raw requests and the one cast of the Probot Octokit live here; callers get parsed, typed data (zod, one schema
 * per shape) and GitHub's errors as thrown (`status` on an HTTP error), except where noted (404 → null/false).
 */
import type { ProbotOctokit } from 'probot';
import { z } from 'zod';
import type { RepoRef } from '../core/domain.js';
import type { PullRequestFacts } from '../core/pull-request/evaluate-pull-request.js';

/** Probot's installation Octokit. */
export type Octokit = InstanceType<typeof ProbotOctokit>;

export type CommitStatusState = 'pending' | 'success' | 'failure' | 'error';
export type CheckRunConclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'action_required' | 'timed_out' | 'skipped';

export interface CheckRunAction {
  readonly label: string;
  readonly identifier: string;
  readonly description: string;
}

/** What a check run shows: `conclusion` only when `status` is completed. */
export interface CheckRunFields {
  readonly name: string;
  readonly status: 'queued' | 'in_progress' | 'completed';
  readonly conclusion?: CheckRunConclusion;
  readonly detailsUrl: string | null;
  readonly title: string;
  readonly summary: string;
  readonly actions?: readonly CheckRunAction[];
}

const checkRunSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  head_sha: z.string(),
  status: z.string(),
  conclusion: z.string().nullish(),
  details_url: z.string().nullish(),
  html_url: z.string().nullish(),
  output: z.object({ title: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  app: z.object({ id: z.number().int() }).nullish(),
});
export type CheckRun = z.infer<typeof checkRunSchema>;

const checkRunListSchema = z.object({ total_count: z.number().int(), check_runs: z.array(checkRunSchema) });

const commitStatusSchema = z.object({
  context: z.string(),
  state: z.string(),
  description: z.string().nullish(),
  target_url: z.string().nullish(),
});
export type CommitStatus = z.infer<typeof commitStatusSchema>;

const combinedStatusSchema = z.object({ state: z.string(), total_count: z.number().int(), statuses: z.array(commitStatusSchema) });

/** One status or check run of a SHA: `state` is the status's state or the check run's conclusion (else its status). */
export interface CommitCheck {
  readonly name: string;
  readonly state: string;
  readonly url: string | null;
}

export const pullSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  html_url: z.string().nullish(),
  state: z.enum(['open', 'closed']),
  draft: z.boolean().nullish(),
  user: z.object({ login: z.string() }).nullish(),
  labels: z.array(z.object({ name: z.string() })).default([]),
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string(), sha: z.string() }),
});

const openPullSchema = z.object({ number: z.number().int(), head: z.object({ sha: z.string() }) });
export type OpenPullRequest = z.infer<typeof openPullSchema>;

const pullFileSchema = z.object({ filename: z.string(), status: z.string() });
export type PullRequestFile = z.infer<typeof pullFileSchema>;

const permissionSchema = z.object({ permission: z.string().nullish(), role_name: z.string().nullish() });
const deploymentSchema = z.object({ id: z.number().int(), sha: z.string(), environment: z.string().nullish(), created_at: z.string().nullish() });
export type Deployment = z.infer<typeof deploymentSchema>;
const deploymentStatusSchema = z.object({ id: z.number().int(), state: z.string(), created_at: z.string().nullish() });
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;
const branchSchema = z.object({ commit: z.object({ sha: z.string() }) });
const createdSchema = z.object({ id: z.number().int() });

/** A file of a repository (the config and the files it extends). */
export interface RepoFileRef extends RepoRef {
  readonly path: string;
}

export interface GitHubEdge {
  /** Head SHA of a branch, or null when it does not exist. */
  getBranchHeadSha(repo: RepoRef, branch: string): Promise<string | null>;
  /** One page of `compare/{base}...{head}` as unparsed JSON text (the history source parses it with JSON.parse). */
  getComparePageText(repo: RepoRef, baseSha: string, headSha: string, page: number, perPage: number): Promise<string>;
  /** A file's raw text; null when it does not exist; `{ notAFile: true }` for a directory or submodule. */
  getFileText(file: RepoFileRef): Promise<string | null | { notAFile: true }>;

  createCommitStatus(
    repo: RepoRef,
    sha: string,
    status: { state: CommitStatusState; context: string; description: string; targetUrl: string | null },
  ): Promise<void>;
  /** Every status of a ref, newest first (all pages). */
  listCommitStatuses(repo: RepoRef, ref: string): Promise<CommitStatus[]>;

  createCheckRun(repo: RepoRef, headSha: string, run: CheckRunFields): Promise<{ id: number }>;
  updateCheckRun(repo: RepoRef, checkRunId: number, run: CheckRunFields): Promise<void>;
  /** The check runs of a ref (the latest per name), optionally only those named `checkName` (all pages). */
  listCheckRunsForRef(repo: RepoRef, ref: string, options?: { checkName?: string }): Promise<CheckRun[]>;

  /** Combined status and check runs of a SHA (all pages): `{name, state, url}` items. */
  listCommitChecks(repo: RepoRef, ref: string): Promise<CommitCheck[]>;

  /** The pull request as it is now, or null when it does not exist. */
  getPullRequest(repo: RepoRef, number: number): Promise<PullRequestFacts | null>;
  /** Open pull requests (first 100, newest first). */
  listOpenPullRequests(repo: RepoRef): Promise<OpenPullRequest[]>;
  /** The files a pull request changes (all pages). */
  listPullRequestFiles(repo: RepoRef, number: number): Promise<PullRequestFile[]>;

  /** The user's role on the repository ('admin', 'maintain', 'write', …); null for a non-collaborator (404). */
  getCollaboratorRole(repo: RepoRef, login: string): Promise<string | null>;
  reactToComment(repo: RepoRef, commentId: number, content: 'eyes'): Promise<void>;
  commentOnIssue(repo: RepoRef, number: number, body: string): Promise<void>;

  /** Deployments of an environment, newest first (first 30). */
  listDeployments(repo: RepoRef, environment: string): Promise<Deployment[]>;
  listDeploymentStatuses(repo: RepoRef, deploymentId: number): Promise<DeploymentStatus[]>;
  /** Approves or rejects a deployment waiting on this App's custom deployment protection rule. */
  reviewDeploymentProtectionRule(
    repo: RepoRef,
    runId: number,
    review: { environmentName: string; state: 'approved' | 'rejected'; comment: string },
  ): Promise<void>;
}

const PER_PAGE = 100;
/** A bound on paginated reads (100 pages of 100). */
const MAX_PAGES = 100;

const isNotFound = (error: unknown): boolean => (error as { status?: number }).status === 404;

function checkRunBody(run: CheckRunFields) {
  return {
    name: run.name,
    status: run.status,
    ...(run.status === 'completed' && run.conclusion ? { conclusion: run.conclusion } : {}),
    ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
    output: { title: run.title, summary: run.summary },
    ...(run.actions ? { actions: run.actions.map((a) => ({ label: a.label, identifier: a.identifier, description: a.description })) } : {}),
  };
}

/**
 * The edge over one installation's Octokit. Probot's Octokit types every route; the edge sends routes by name with
 * loosely typed parameters (`request`), so the single cast to that shape is here.
 */
export function createGitHubEdge(octokit: Octokit): GitHubEdge {
  const request = octokit.request as unknown as (route: string, parameters?: Record<string, unknown>) => Promise<{ data: unknown }>;

  async function pages<T>(route: string, parameters: Record<string, unknown>, items: (data: unknown) => T[]): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await request(route, { ...parameters, per_page: PER_PAGE, page });
      const batch = items(data);
      all.push(...batch);
      if (batch.length < PER_PAGE) break;
    }
    return all;
  }

  const listCheckRunsForRef = (repo: RepoRef, ref: string, options: { checkName?: string } = {}): Promise<CheckRun[]> =>
    pages(
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
      { ...repo, ref, filter: 'latest', ...(options.checkName ? { check_name: options.checkName } : {}) },
      (data) => checkRunListSchema.parse(data).check_runs,
    );

  return {
    async getBranchHeadSha(repo, branch) {
      try {
        const { data } = await request('GET /repos/{owner}/{repo}/branches/{branch}', { ...repo, branch });
        return branchSchema.parse(data).commit.sha;
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async getComparePageText(repo, baseSha, headSha, page, perPage) {
      // Octokit parses JSON bodies with json-with-bigint (a regex pass and a reviver on every value on Node 20):
      // ~20× the CPU of JSON.parse on compare pages (bench/compare-payload-parse.bench.ts). The body stays unparsed.
      const response = await request('GET /repos/{owner}/{repo}/compare/{basehead}', {
        ...repo,
        basehead: `${baseSha}...${headSha}`,
        per_page: perPage,
        page,
        request: { parseSuccessResponseBody: false },
      });
      return new Response(response.data as ReadableStream<Uint8Array>).text();
    },

    async getFileText(file) {
      let data: unknown;
      try {
        ({ data } = await request('GET /repos/{owner}/{repo}/contents/{path}', { ...file, mediaType: { format: 'raw' } }));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
      return typeof data === 'string' ? data : { notAFile: true };
    },

    async createCommitStatus(repo, sha, status) {
      await request('POST /repos/{owner}/{repo}/statuses/{sha}', {
        ...repo,
        sha,
        state: status.state,
        context: status.context,
        description: status.description,
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      });
    },

    listCommitStatuses(repo, ref) {
      return pages('GET /repos/{owner}/{repo}/commits/{ref}/statuses', { ...repo, ref }, (data) => z.array(commitStatusSchema).parse(data));
    },

    async createCheckRun(repo, headSha, run) {
      const { data } = await request('POST /repos/{owner}/{repo}/check-runs', { ...repo, head_sha: headSha, ...checkRunBody(run) });
      return { id: createdSchema.parse(data).id };
    },

    async updateCheckRun(repo, checkRunId, run) {
      await request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...repo, check_run_id: checkRunId, ...checkRunBody(run) });
    },

    listCheckRunsForRef,

    async listCommitChecks(repo, ref) {
      const statuses = await pages('GET /repos/{owner}/{repo}/commits/{ref}/status', { ...repo, ref }, (data) => combinedStatusSchema.parse(data).statuses);
      const runs = await listCheckRunsForRef(repo, ref);
      return [
        ...statuses.map((s) => ({ name: s.context, state: s.state, url: s.target_url ?? null })),
        ...runs.map((r) => ({ name: r.name, state: r.conclusion ?? r.status, url: r.details_url ?? r.html_url ?? null })),
      ];
    },

    async getPullRequest(repo, number) {
      let data: unknown;
      try {
        ({ data } = await request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: number }));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
      const pr = pullSchema.parse(data);
      return {
        number: pr.number,
        title: pr.title,
        url: pr.html_url ?? null,
        headRef: pr.head.ref,
        headSha: pr.head.sha,
        baseRef: pr.base.ref,
        author: pr.user?.login ?? '',
        draft: pr.draft ?? false,
        labels: pr.labels.map((l) => l.name),
        state: pr.state,
      };
    },

    async listOpenPullRequests(repo) {
      const { data } = await request('GET /repos/{owner}/{repo}/pulls', { ...repo, state: 'open', per_page: 100 });
      return z.array(openPullSchema).parse(data);
    },

    listPullRequestFiles(repo, number) {
      return pages('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { ...repo, pull_number: number }, (data) => z.array(pullFileSchema).parse(data));
    },

    async getCollaboratorRole(repo, login) {
      try {
        const { data } = await request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repo, username: login });
        const parsed = permissionSchema.parse(data);
        return parsed.role_name ?? parsed.permission ?? null;
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async reactToComment(repo, commentId, content) {
      await request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...repo, comment_id: commentId, content });
    },

    async commentOnIssue(repo, number, body) {
      await request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: number, body });
    },

    async listDeployments(repo, environment) {
      const { data } = await request('GET /repos/{owner}/{repo}/deployments', { ...repo, environment, per_page: 30 });
      return z.array(deploymentSchema).parse(data);
    },

    listDeploymentStatuses(repo, deploymentId) {
      return pages('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { ...repo, deployment_id: deploymentId }, (data) =>
        z.array(deploymentStatusSchema).parse(data),
      );
    },

    async reviewDeploymentProtectionRule(repo, runId, review) {
      await request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule', {
        ...repo,
        run_id: runId,
        environment_name: review.environmentName,
        state: review.state,
        comment: review.comment,
      });
    },
  };
}
