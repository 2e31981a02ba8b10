/**
 * Builders of the deployment protection rule tests (test/integration/protection-rule.test.ts,
 * slack-approval-flow.test.ts): the `deployment_protection_rule.requested` payload, and the GitHub and JIRA mocks
 * of one evaluation of the deployment's SHA and of the answer to the protection rule.
 */
import type { components } from '@octokit/openapi-webhooks-types';
import nock from 'nock';
import { fakeSha, GITHUB_API, type FakeCommit, type mockGitHub } from './github-mock.js';
import type { FakeTicket, mockJiraCloud } from './jira-mock.js';
import { examplePayload, type TestRepo } from './webhook-payloads.js';

export type RequestedPayload = components['schemas']['webhook-deployment-protection-rule-requested'];

export const target: TestRepo = { owner: 'acme', repo: 'shop', installationId: 77 };
export const HEAD = fakeSha('protection-head');
export const PROD = fakeSha('protection-production');
export const RUN = 4_200_001;
export const REPORT_URL = `https://checker.test/deploys/acme/shop/${HEAD}`;
export const base = `/repos/${target.owner}/${target.repo}`;
export const commits: FakeCommit[] = [{ sha: fakeSha('p1'), message: 'PROJ-1: new checkout' }];

/** A requested payload, typed by GitHub's webhook schema; `deployment` comes from a real deployment example. */
export function requestedPayload(options: { environment?: string; runId?: number; callbackUrl?: string } = {}): RequestedPayload {
  const example = examplePayload('deployment', (x) => x.action === 'created');
  const environment = options.environment ?? 'production';
  const deployment = { ...example.deployment, sha: HEAD, ref: 'main', environment } as components['schemas']['deployment'];
  return {
    action: 'requested',
    environment,
    event: 'workflow_dispatch',
    deployment_callback_url:
      options.callbackUrl ?? `${GITHUB_API}/repos/${target.owner}/${target.repo}/actions/runs/${options.runId ?? RUN}/deployment_protection_rule`,
    deployment,
    repository: {
      ...example.repository,
      name: target.repo,
      full_name: `${target.owner}/${target.repo}`,
      owner: { ...example.repository.owner, login: target.owner },
    } as RequestedPayload['repository'],
    installation: { id: target.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' },
    sender: example.sender as RequestedPayload['sender'],
  };
}

/** The body of one answer to the protection rule (POST …/deployment_protection_rule). */
export interface Answer {
  environment_name: string;
  state: string;
  comment: string;
}

/** Expects `times` answers to the protection rule of the run; captured in order into `s.answers`. */
export function expectAnswer(s: { answers: Answer[] }, times = 1, runId = RUN) {
  nock(GITHUB_API)
    .post(`${base}/actions/runs/${runId}/deployment_protection_rule`, (body: Answer) => {
      s.answers.push(body);
      return true;
    })
    .times(times)
    .reply(204);
}

/** The environment's deployments, newest first, each with its newest status (read until the first success). */
export function expectDeployments(list: { id: number; sha: string; state: string }[], environment = 'production') {
  nock(GITHUB_API)
    .get(`${base}/deployments`)
    .query({ environment, per_page: '30' })
    .reply(
      200,
      list.map(({ id, sha }) => ({ id, sha, environment })),
    );
  for (const d of list) {
    nock(GITHUB_API)
      .get(`${base}/deployments/${d.id}/statuses`)
      .query({ per_page: '100', page: '1' })
      .reply(200, [{ id: d.id * 10, state: d.state }]);
    if (d.state === 'success') break;
  }
}

/** One evaluation of HEAD against production (no successful deployment yet), with the tickets JIRA returns. */
export function expectEvaluation(
  s: { gh: ReturnType<typeof mockGitHub>; jira: ReturnType<typeof mockJiraCloud> },
  config: string,
  tickets: FakeTicket[] | 'jira-down',
  options: { fields?: boolean } = {},
) {
  s.gh.config(config);
  expectDeployments([{ id: 2, sha: HEAD, state: 'waiting' }]);
  s.gh.branch('production', PROD);
  s.gh.compare(PROD, HEAD, commits);
  if (options.fields !== false) s.jira.fields();
  if (tickets === 'jira-down') s.jira.bulkfetchFails(503);
  else s.jira.bulkfetch(tickets);
}

/** The combined status and the check runs of HEAD, as the approval request reads them. */
export function expectShaChecks(
  statuses: { context: string; state: string; target_url: string | null }[],
  checkRuns: { id: number; name: string; status: string; conclusion: string | null; html_url: string | null; details_url?: string | null }[],
) {
  nock(GITHUB_API)
    .get(`${base}/commits/${HEAD}/status`)
    .query({ per_page: '100', page: '1' })
    .reply(200, { state: statuses.length === 0 ? 'pending' : 'success', total_count: statuses.length, statuses });
  nock(GITHUB_API)
    .get(`${base}/commits/${HEAD}/check-runs`)
    .query({ filter: 'latest', per_page: '100', page: '1' })
    .reply(200, { total_count: checkRuns.length, check_runs: checkRuns.map((run) => ({ head_sha: HEAD, ...run })) });
}
