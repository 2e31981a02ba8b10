/**
 * Real webhook payloads from @octokit/webhooks-examples, adapted to a test repository (owner, repo, installation,
 * SHAs). Only the fields a test names are changed; everything else stays as GitHub sent it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, unknown>[];
}[];

export function examplePayload(event: string, pick: (p: Record<string, any>) => boolean): Record<string, any> {
  const entry = examples.find((e) => e.name === event);
  const found = entry?.examples.find((p) => pick(p as Record<string, any>));
  if (!found) throw new Error(`no ${event} example matches`);
  return structuredClone(found) as Record<string, any>;
}

export interface TestRepo {
  owner: string;
  repo: string;
  installationId: number;
}

function retarget(payload: Record<string, any>, target: TestRepo): Record<string, any> {
  payload.repository = {
    ...payload.repository,
    name: target.repo,
    full_name: `${target.owner}/${target.repo}`,
    owner: { ...payload.repository.owner, login: target.owner, name: target.owner },
  };
  payload.installation = { id: target.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  return payload;
}

export function pushPayload(target: TestRepo, options: { ref: string; after: string; before?: string; deleted?: boolean }): Record<string, any> {
  const p = examplePayload('push', (x) => x.ref === 'refs/heads/master' && !x.deleted);
  p.ref = options.ref;
  p.after = options.deleted ? '0000000000000000000000000000000000000000' : options.after;
  p.before = options.before ?? p.before;
  p.deleted = options.deleted ?? false;
  p.created = false;
  if (options.deleted) p.head_commit = null;
  return retarget(p, target);
}

export function pullRequestPayload(
  target: TestRepo,
  action: string,
  pr: {
    number: number;
    title: string;
    headRef: string;
    headSha: string;
    baseRef: string;
    baseSha?: string;
    draft?: boolean;
    labels?: string[];
    author?: string;
  },
  changes?: Record<string, unknown>,
): Record<string, any> {
  // The examples have no "edited" payload: such a payload is an "opened" one with action and changes set.
  const exampleAction = action === 'edited' ? 'opened' : action;
  const p = examplePayload('pull_request', (x) => x.action === exampleAction && Boolean(x.installation));
  p.action = action;
  p.number = pr.number;
  p.pull_request = {
    ...p.pull_request,
    number: pr.number,
    title: pr.title,
    draft: pr.draft ?? false,
    labels: (pr.labels ?? []).map((name, i) => ({ id: i + 1, node_id: `L${i}`, url: '', name, color: 'ededed', default: false, description: null })),
    user: { ...p.pull_request.user, login: pr.author ?? 'octocat', type: pr.author?.endsWith('[bot]') ? 'Bot' : 'User' },
    head: { ...p.pull_request.head, ref: pr.headRef, sha: pr.headSha },
    base: { ...p.pull_request.base, ref: pr.baseRef, sha: pr.baseSha ?? p.pull_request.base.sha },
  };
  if (changes) p.changes = changes;
  return retarget(p, target);
}

export function issueCommentPayload(
  target: TestRepo,
  comment: { id: number; body: string; login: string; prNumber: number; userType?: string },
): Record<string, any> {
  const p = examplePayload('issue_comment', (x) => x.action === 'created' && Boolean(x.installation));
  p.issue = {
    ...p.issue,
    number: comment.prNumber,
    pull_request: { url: `https://api.github.com/repos/${target.owner}/${target.repo}/pulls/${comment.prNumber}` },
  };
  p.comment = { ...p.comment, id: comment.id, body: comment.body, user: { ...p.comment.user, login: comment.login, type: comment.userType ?? 'User' } };
  return retarget(p, target);
}

export function deploymentStatusPayload(
  target: TestRepo,
  status: { state: string; environment: string; sha: string; creator?: string; createdAt?: string },
): Record<string, any> {
  const p = examplePayload('deployment_status', (x) => x.action === 'created' && Boolean(x.installation));
  p.deployment_status = {
    ...p.deployment_status,
    state: status.state,
    environment: status.environment,
    created_at: status.createdAt ?? '2026-11-20T12:00:00Z',
    creator: { ...p.deployment_status.creator, login: status.creator ?? 'release-bot' },
  };
  p.deployment = {
    ...p.deployment,
    sha: status.sha,
    environment: status.environment,
    creator: { ...p.deployment.creator, login: status.creator ?? 'release-bot' },
  };
  return retarget(p, target);
}
