/**
 * The JIRA transport's retry policy, with fetch, sleep, random (jitter) and the clock injected: which requests are
 * sent again after which failures, how long the transport waits, and what it finally answers.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { backoffMs, createJiraTransport, JiraHttpError, parseRetryAfter, type JiraRequest } from '../../src/jira/jira-transport.js';
import { createJiraTicketSource } from '../../src/jira/jira-ticket-source.js';

const logger = pino({ level: 'silent' });
const BASE = 'https://jira.test';
const NOW = Date.parse('2026-12-01T12:00:00Z');

/** One scripted answer: a status (with headers), a timeout, or a refused connection. */
type Outcome = number | { status: number; headers?: Record<string, string> } | 'timeout' | 'network';

function scriptedFetch(outcomes: Outcome[]) {
  const calls: { method: string; url: string }[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ method: init?.method ?? 'GET', url: String(url) });
    const next = outcomes.shift();
    if (next === undefined) throw new Error('the test scripted fewer answers than the transport asked for');
    if (next === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    if (next === 'network') throw new TypeError('fetch failed');
    const { status, headers } = typeof next === 'number' ? { status: next, headers: {} } : next;
    return new Response(status === 204 ? null : JSON.stringify(status < 400 ? { ok: true } : { errorMessages: ['no'] }), { status, headers });
  }) as typeof fetch;
  return { fetchFn, calls };
}

function transportWith(outcomes: Outcome[], options: { maxAttempts?: number; random?: number; retryAfterCapMs?: number } = {}) {
  const { fetchFn, calls } = scriptedFetch(outcomes);
  const sleeps: number[] = [];
  const transport = createJiraTransport({
    baseUrl: BASE,
    auth: { kind: 'cloud', email: 'bot@example.com', apiToken: 't' },
    logger,
    maxAttempts: options.maxAttempts ?? 3,
    retryBaseMs: 100,
    retryMaxMs: 1_000,
    ...(options.retryAfterCapMs !== undefined ? { retryAfterCapMs: options.retryAfterCapMs } : {}),
    fetch: fetchFn,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => options.random ?? 0.5,
    now: () => NOW,
  });
  return { transport, calls, sleeps };
}

const GET: JiraRequest = { url: '/rest/api/3/issue/PROJ-1/transitions' };
const COMMENT: JiraRequest = { url: '/rest/api/3/issue/PROJ-1/comment', method: 'POST', body: { body: 'Deployed' } };
const TRANSITION: JiraRequest = { url: '/rest/api/3/issue/PROJ-1/transitions', method: 'POST', body: { transition: { id: '31' } } };
const BULKFETCH: JiraRequest = { url: '/rest/api/3/issue/bulkfetch', method: 'POST', body: { issueIdsOrKeys: ['PROJ-1'] }, idempotent: true };
const SEARCH: JiraRequest = { url: '/rest/api/2/search', method: 'POST', body: { jql: 'key in (PROJ-1)' }, idempotent: true };

describe('JIRA transport retries', () => {
  // random() = 0.5 → each wait is 3/4 of the exponential ceiling: 100 ms base → 75, 150, 300…
  const table: {
    name: string;
    req: JiraRequest;
    outcomes: Outcome[];
    attempts: number;
    sleeps: number[];
    result: 'ok' | number | null;
    maxAttempts?: number;
  }[] = [
    { name: 'GET: 503, 502, then 200', req: GET, outcomes: [503, 502, 200], attempts: 3, sleeps: [75, 150], result: 'ok' },
    { name: 'GET: a timeout, then 200', req: GET, outcomes: ['timeout', 200], attempts: 2, sleeps: [75], result: 'ok' },
    { name: 'GET: network errors until attempts run out', req: GET, outcomes: ['network', 'network', 'network'], attempts: 3, sleeps: [75, 150], result: null },
    { name: 'GET: 500 on every attempt rejects with the last status', req: GET, outcomes: [500, 500, 500], attempts: 3, sleeps: [75, 150], result: 500 },
    { name: 'GET: 400 is not transient', req: GET, outcomes: [400], attempts: 1, sleeps: [], result: 400 },
    { name: 'GET: 404 is not transient', req: GET, outcomes: [404], attempts: 1, sleeps: [], result: 404 },
    { name: 'GET: one attempt configured', req: GET, outcomes: [503], attempts: 1, sleeps: [], result: 503, maxAttempts: 1 },
    { name: 'comment POST: a timeout is never retried (it may have been posted)', req: COMMENT, outcomes: ['timeout'], attempts: 1, sleeps: [], result: null },
    { name: 'comment POST: a network error is not retried', req: COMMENT, outcomes: ['network'], attempts: 1, sleeps: [], result: null },
    { name: 'comment POST: 502 is not retried', req: COMMENT, outcomes: [502], attempts: 1, sleeps: [], result: 502 },
    { name: 'comment POST: 500 is not retried', req: COMMENT, outcomes: [500], attempts: 1, sleeps: [], result: 500 },
    { name: 'transition POST: a timeout is not retried', req: TRANSITION, outcomes: ['timeout'], attempts: 1, sleeps: [], result: null },
    { name: 'comment POST: 429 (refused unprocessed) is retried', req: COMMENT, outcomes: [429, 201], attempts: 2, sleeps: [75], result: 'ok' },
    {
      name: 'comment POST: 429 with Retry-After seconds',
      req: COMMENT,
      outcomes: [{ status: 429, headers: { 'retry-after': '2' } }, 201],
      attempts: 2,
      sleeps: [2_000],
      result: 'ok',
    },
    {
      name: 'bulkfetch POST (a read): a timeout is retried',
      req: BULKFETCH,
      outcomes: ['timeout', 'timeout', 200],
      attempts: 3,
      sleeps: [75, 150],
      result: 'ok',
    },
    { name: 'bulkfetch POST: 502 is retried', req: BULKFETCH, outcomes: [502, 200], attempts: 2, sleeps: [75], result: 'ok' },
    { name: 'JQL search POST (a read): a network error is retried', req: SEARCH, outcomes: ['network', 200], attempts: 2, sleeps: [75], result: 'ok' },
    {
      name: '429 with Retry-After as an HTTP date',
      req: GET,
      outcomes: [{ status: 429, headers: { 'retry-after': new Date(NOW + 5_000).toUTCString() } }, 200],
      attempts: 2,
      sleeps: [5_000],
      result: 'ok',
    },
    {
      name: '503 with Retry-After seconds',
      req: GET,
      outcomes: [{ status: 503, headers: { 'retry-after': '3' } }, 200],
      attempts: 2,
      sleeps: [3_000],
      result: 'ok',
    },
    {
      name: 'Retry-After in the past: retried at once',
      req: GET,
      outcomes: [{ status: 429, headers: { 'retry-after': new Date(NOW - 60_000).toUTCString() } }, 200],
      attempts: 2,
      sleeps: [0],
      result: 'ok',
    },
    {
      name: 'unreadable Retry-After: exponential backoff',
      req: GET,
      outcomes: [{ status: 429, headers: { 'retry-after': 'soon' } }, 200],
      attempts: 2,
      sleeps: [75],
      result: 'ok',
    },
    {
      name: 'Retry-After is capped (default 30 s)',
      req: GET,
      outcomes: [{ status: 429, headers: { 'retry-after': '3600' } }, 200],
      attempts: 2,
      sleeps: [30_000],
      result: 'ok',
    },
    {
      name: 'Retry-After on a 502 is ignored (only 429 and 503 carry it)',
      req: GET,
      outcomes: [{ status: 502, headers: { 'retry-after': '9' } }, 200],
      attempts: 2,
      sleeps: [75],
      result: 'ok',
    },
  ];

  it.each(table)('$name', async ({ req, outcomes, attempts, sleeps, result, maxAttempts }) => {
    const t = transportWith(outcomes, maxAttempts ? { maxAttempts } : {});
    const settled = await t.transport.request(req).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if (result === 'ok') {
      expect(settled).toEqual({ value: { ok: true } });
    } else {
      expect('error' in settled && settled.error).toBeInstanceOf(JiraHttpError);
      expect((settled as { error: JiraHttpError }).error.status).toBe(result);
    }
    expect(t.calls).toHaveLength(attempts);
    expect(t.sleeps).toEqual(sleeps);
  });

  it('caps Retry-After at the configured cap', async () => {
    const t = transportWith([{ status: 429, headers: { 'retry-after': '60' } }, 200], { retryAfterCapMs: 10_000 });
    await t.transport.request(GET);
    expect(t.sleeps).toEqual([10_000]);
  });

  it('jitters the upper half of each backoff and caps its growth', async () => {
    const low = transportWith([500, 500, 500, 500, 500, 200], { maxAttempts: 6, random: 0 });
    const high = transportWith([500, 500, 500, 500, 500, 200], { maxAttempts: 6, random: 0.999 });
    await low.transport.request(GET);
    await high.transport.request(GET);
    // Ceilings 100, 200, 400, 800, 1000 (retryMaxMs): waits lie in [ceiling / 2, ceiling).
    expect(low.sleeps).toEqual([50, 100, 200, 400, 500]);
    expect(high.sleeps).toEqual([100, 200, 400, 800, 1_000]);
  });
});

describe('retry helpers', () => {
  it.each([
    { header: null, ms: null },
    { header: '0', ms: 0 },
    { header: '7', ms: 7_000 },
    { header: ' 12 ', ms: 12_000 },
    { header: '-3', ms: null },
    { header: '1.5', ms: null },
    { header: new Date(NOW + 90_000).toUTCString(), ms: 90_000 },
    { header: 'Tue, 01 Dec 2026 11:00:00 GMT', ms: 0 },
    { header: 'later', ms: null },
  ])('Retry-After $header → $ms ms', ({ header, ms }) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  it.each([
    { attempt: 1, random: 0, ms: 250 },
    { attempt: 1, random: 0.5, ms: 375 },
    { attempt: 2, random: 0, ms: 500 },
    { attempt: 5, random: 0, ms: 4_000 },
    { attempt: 9, random: 0.5, ms: 6_000 },
  ])('backoff of attempt $attempt with random $random → $ms ms', ({ attempt, random, ms }) => {
    expect(backoffMs(attempt, 500, 8_000, () => random)).toBe(ms);
  });
});

describe('JIRA ticket source marks its read POSTs idempotent', () => {
  const fieldList = [
    { id: 'customfield_1', name: 'Risk Assessment' },
    { id: 'customfield_2', name: 'Post-Deploy Checks' },
  ];

  it.each([
    { flavor: 'cloud' as const, readPath: '/rest/api/3/issue/bulkfetch', fieldPath: '/rest/api/3/field' },
    { flavor: 'datacenter' as const, readPath: '/rest/api/2/search', fieldPath: '/rest/api/2/field' },
  ])('$flavor: a timed-out ticket read is sent again', async ({ flavor, readPath, fieldPath }) => {
    const calls: string[] = [];
    let reads = 0;
    const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
      const path = new URL(String(url)).pathname;
      calls.push(`${init?.method ?? 'GET'} ${path}`);
      if (path === fieldPath) return Response.json(fieldList);
      if (path === readPath && (reads += 1) === 1) throw new DOMException('timed out', 'TimeoutError');
      if (path === readPath) return Response.json({ issues: [{ key: 'PROJ-1', fields: { summary: 'Login' } }] });
      return new Response('{}', { status: 404 });
    }) as typeof fetch;
    const transport = createJiraTransport({
      baseUrl: BASE,
      auth: flavor === 'cloud' ? { kind: 'cloud', email: 'bot@example.com', apiToken: 't' } : { kind: 'datacenter', pat: 'p' },
      logger,
      maxAttempts: 2,
      fetch: fetchFn,
      sleep: async () => {},
    });
    const tickets = await createJiraTicketSource({ transport, logger }).fetchTickets(['PROJ-1'], {
      riskAssessment: 'Risk Assessment',
      postDeployChecks: 'Post-Deploy Checks',
    });
    expect([...tickets.keys()]).toEqual(['PROJ-1']);
    expect(calls).toEqual([`GET ${fieldPath}`, `POST ${readPath}`, `POST ${readPath}`]);
  });
});
