import { describe, expect, it } from 'vitest';
import { countingEvaluations, createAppMetrics, endpointFamily, instrumentedFetch } from '../../src/app/app-metrics.js';

describe('metrics', () => {
  it.each([
    ['GET', '/rest/api/3/issue/PROJ-12', 'GET /rest/api/3/issue/{key}'],
    ['post', '/rest/api/3/issue/bulkfetch?x=1', 'POST /rest/api/3/issue/bulkfetch'],
    ['GET', '/repos/acme/shop/commits/0123456789abcdef0123456789abcdef01234567', 'GET /repos/acme/shop/commits/{sha}'],
    ['GET', '/rest/api/2/issue/10042/transitions', 'GET /rest/api/2/issue/{id}/transitions'],
  ])('endpoint family of %s %s', (method, path, family) => {
    expect(endpointFamily(method, path)).toBe(family);
  });

  it('counts outbound requests by service, endpoint family and status, and 429s as rate-limit waits', async () => {
    const metrics = createAppMetrics({ defaultMetrics: false });
    const statuses = [200, 429];
    const fetchFn = instrumentedFetch(metrics, 'jira', (async () => new Response('{}', { status: statuses.shift() ?? 500 })) as typeof fetch);
    await fetchFn('https://jira.test/rest/api/3/issue/PROJ-1', { method: 'GET' });
    await fetchFn('https://jira.test/rest/api/3/issue/PROJ-2', { method: 'GET' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('deploy_checker_outbound_requests_total{service="jira",endpoint="GET /rest/api/3/issue/{key}",status="200"} 1');
    expect(text).toContain('deploy_checker_outbound_requests_total{service="jira",endpoint="GET /rest/api/3/issue/{key}",status="429"} 1');
    expect(text).toContain('deploy_checker_rate_limit_waits_total{service="jira",kind="http-429"} 1');
    expect(text).not.toContain('PROJ-1');
  });

  it('counts stored evaluations by kind and outcome with their duration', async () => {
    const metrics = createAppMetrics({ defaultMetrics: false });
    const saved: string[] = [];
    const store = countingEvaluations(
      { saveReport: async (r: { kind: string; state: string; evaluatedAt: string }) => (saved.push(r.state), 1) },
      metrics,
      () => Date.parse('2026-12-01T10:00:02Z'),
    );
    await store.saveReport({ kind: 'deploy', state: 'failure', evaluatedAt: '2026-12-01T10:00:00Z' });
    const text = await metrics.registry.metrics();
    expect(saved).toEqual(['failure']);
    expect(text).toContain('deploy_checker_evaluations_total{kind="deploy",outcome="failure"} 1');
    expect(text).toContain('deploy_checker_evaluation_seconds_sum{kind="deploy"} 2');
  });
});
