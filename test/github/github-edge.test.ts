/**
 * The GitHub edge and the status sink over it, against strict nock: the exact requests GitHub receives.
 */
import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { createGitHubEdge, type Octokit } from '../../src/github/github-edge.js';
import { createGitHubStatusSink } from '../../src/github/github-status-sink.js';
import { fakeSha, GITHUB_API } from '../helpers/github-mock.js';
import { useStrictNock } from '../helpers/strict-nock.js';

useStrictNock();

const repo = { owner: 'acme', repo: 'shop' };
const SHA = fakeSha('edge-head');
const REPORT = `https://checker.test/deploys/acme/shop/${SHA}`;
const RECHECK = { label: 'Re-check JIRA', identifier: 'recheck', description: 'Read the tickets again and re-check' };

function edge() {
  const TestOctokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  return createGitHubEdge(new TestOctokit({ auth: 'ghs_test' }) as unknown as Octokit);
}

const run = (fields: Record<string, unknown>) => ({
  id: 5,
  name: 'deploy-checker',
  head_sha: SHA,
  status: 'completed',
  conclusion: 'success',
  details_url: REPORT,
  output: { title: 'All clear', summary: 'All clear' },
  ...fields,
});

describe('GitHub edge', () => {
  it('combined status and check runs of a SHA: every page of both, as {name, state, url}', async () => {
    const statuses = Array.from({ length: 101 }, (_, i) => ({ context: `ci/${i}`, state: 'success', target_url: `https://ci.test/${i}` }));
    nock(GITHUB_API)
      .get(`/repos/acme/shop/commits/${SHA}/status`)
      .query({ per_page: '100', page: '1' })
      .reply(200, { state: 'success', total_count: 101, statuses: statuses.slice(0, 100) })
      .get(`/repos/acme/shop/commits/${SHA}/status`)
      .query({ per_page: '100', page: '2' })
      .reply(200, { state: 'success', total_count: 101, statuses: statuses.slice(100) })
      .get(`/repos/acme/shop/commits/${SHA}/check-runs`)
      .query({ filter: 'latest', per_page: '100', page: '1' })
      .reply(200, {
        total_count: 2,
        check_runs: [run({}), run({ id: 6, name: 'build', status: 'in_progress', conclusion: null, details_url: null, html_url: 'https://github.com/run/6' })],
      });

    const checks = await edge().listCommitChecks(repo, SHA);

    expect(checks).toHaveLength(103);
    expect(checks[0]).toEqual({ name: 'ci/0', state: 'success', url: 'https://ci.test/0' });
    expect(checks[100]).toEqual({ name: 'ci/100', state: 'success', url: 'https://ci.test/100' });
    expect(checks.slice(101)).toEqual([
      { name: 'deploy-checker', state: 'success', url: REPORT },
      { name: 'build', state: 'in_progress', url: 'https://github.com/run/6' },
    ]);
  });

  it('reviews a deployment protection rule', async () => {
    nock(GITHUB_API)
      .post('/repos/acme/shop/actions/runs/991/deployment_protection_rule', {
        environment_name: 'production',
        state: 'rejected',
        comment: '1 problem: PROJ-1 is In Progress',
      })
      .reply(204);

    await edge().reviewDeploymentProtectionRule(repo, 991, { environmentName: 'production', state: 'rejected', comment: '1 problem: PROJ-1 is In Progress' });
  });

  it('deployments of an environment and a collaborator’s role (404: none)', async () => {
    nock(GITHUB_API)
      .get('/repos/acme/shop/deployments')
      .query({ environment: 'production', per_page: '30' })
      .reply(200, [{ id: 2, sha: SHA, environment: 'production' }])
      .get('/repos/acme/shop/collaborators/stranger/permission')
      .reply(404, { message: 'Not Found' });

    const github = edge();
    expect(await github.listDeployments(repo, 'production')).toEqual([{ id: 2, sha: SHA, environment: 'production' }]);
    expect(await github.getCollaboratorRole(repo, 'stranger')).toBeNull();
  });
});

describe('status sink over the edge', () => {
  const success = { state: 'success' as const, description: 'All clear', context: 'deploy-checker', targetUrl: REPORT };
  const listRuns = (runs: unknown[]) =>
    nock(GITHUB_API)
      .get(`/repos/acme/shop/commits/${SHA}/check-runs`)
      .query({ filter: 'latest', check_name: 'deploy-checker', per_page: '100', page: '1' })
      .reply(200, { total_count: runs.length, check_runs: runs });

  it('status delivery: only a commit status, its description cut to 140 characters', async () => {
    nock(GITHUB_API)
      .post(`/repos/acme/shop/statuses/${SHA}`, { state: 'success', context: 'deploy-checker', description: `${'x'.repeat(139)}…`, target_url: REPORT })
      .reply(201, {});
    await createGitHubStatusSink(edge(), repo).setStatus(SHA, { ...success, description: 'x'.repeat(300) });
  });

  it('a completed run that already shows exactly the result is left alone', async () => {
    listRuns([run({ output: { title: 'All clear', summary: 'the summary' } })]);
    await createGitHubStatusSink(edge(), repo).setStatus(SHA, { ...success, delivery: 'check-run', checkRun: { title: 'All clear', summary: 'the summary' } });
  });

  it('a completed run is never turned back to in progress', async () => {
    listRuns([run({})]);
    await createGitHubStatusSink(edge(), repo).setStatus(SHA, { ...success, state: 'pending', description: 'Checking 3 commits…', delivery: 'check-run' });
  });

  it('a run of that name the App may not update (another App’s, 403) is replaced by a new run', async () => {
    listRuns([run({ id: 9, status: 'in_progress', conclusion: null })]);
    nock(GITHUB_API).patch('/repos/acme/shop/check-runs/9').reply(403, { message: 'Forbidden' });
    nock(GITHUB_API)
      .post('/repos/acme/shop/check-runs', {
        head_sha: SHA,
        name: 'deploy-checker',
        status: 'completed',
        conclusion: 'failure',
        details_url: REPORT,
        output: { title: '1 problem', summary: 'details' },
        actions: [RECHECK],
      })
      .reply(201, { id: 10 });
    await createGitHubStatusSink(edge(), repo).setStatus(SHA, {
      ...success,
      state: 'error',
      description: '1 problem',
      delivery: 'check-run',
      checkRun: { title: '1 problem', summary: 'details' },
    });
  });

  it('both: a commit status, then the check run', async () => {
    nock(GITHUB_API)
      .post(`/repos/acme/shop/statuses/${SHA}`, { state: 'success', context: 'deploy-checker', description: 'All clear', target_url: REPORT })
      .reply(201, {});
    listRuns([]);
    nock(GITHUB_API)
      .post('/repos/acme/shop/check-runs', (body: Record<string, unknown>) => body.status === 'completed' && body.conclusion === 'success')
      .reply(201, { id: 11 });
    await createGitHubStatusSink(edge(), repo).setStatus(SHA, { ...success, delivery: 'both' });
  });
});
