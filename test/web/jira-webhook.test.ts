/** POST /jira/webhook on a real HTTP server: signature, de-duplication, payload parsing, size limit. */
import { createHmac } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { isFresh, JIRA_FRESHNESS_WINDOW_MS, jiraDeliveryKeys, parseJiraWebhook, verifyJiraSignature } from '../../src/web/jira-webhook.js';
import { InMemoryReportStore } from './in-memory-report-store.js';
import { startWebServer, type RunningWebServer } from './web-test-server.js';

const SECRET = 'jira-webhook-secret';
/** The timestamp the test payloads carry, and the server's clock a second later. */
const SENT_AT = 1714557600000;
let clock = new Date(SENT_AT + 1000);
let logLines: Record<string, unknown>[] = [];

let server: RunningWebServer | null = null;
let onTicketChanged: ReturnType<typeof vi.fn<(key: string) => void>>;

async function start(jiraWebhookSecret: string | null = SECRET): Promise<RunningWebServer> {
  server = await startWebServer((baseUrl) => ({
    store: new InMemoryReportStore(),
    auth: { mode: 'off' },
    publicUrl: baseUrl,
    jiraWebhookSecret,
    recheck: async () => undefined,
    onTicketChanged,
    logger: pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          done();
        },
      }),
    ),
    now: () => clock,
  }));
  return server;
}

function sign(body: string | Buffer, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function payload(event: string, key = 'PAY-1', timestamp: number | null = SENT_AT): string {
  return JSON.stringify({ ...(timestamp === null ? {} : { timestamp }), webhookEvent: event, issue: { id: '10001', key, fields: { summary: 'x' } } });
}

function post(body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server?.baseUrl}/jira/webhook`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  onTicketChanged = vi.fn();
  clock = new Date(SENT_AT + 1000);
  logLines = [];
});

afterEach(async () => {
  await server?.close();
  server = null;
  const done = nock.isDone();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(done).toBe(true);
});

describe('POST /jira/webhook', () => {
  it('accepts a correctly signed jira:issue_updated and calls onTicketChanged once with the key', async () => {
    await start();
    const body = payload('jira:issue_updated', 'pay-12');
    const res = await post(body, { 'x-hub-signature': sign(body), 'x-atlassian-webhook-identifier': 'delivery-1' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 'PAY-12' });
    expect(onTicketChanged).toHaveBeenCalledTimes(1);
    expect(onTicketChanged).toHaveBeenCalledWith('PAY-12');
  });

  it.each(['jira:issue_deleted', 'issue_deleted'])('accepts %s', async (event) => {
    await start();
    const body = payload(event);
    const res = await post(body, { 'x-hub-signature': sign(body) });
    expect(res.status).toBe(202);
    expect(onTicketChanged).toHaveBeenCalledWith('PAY-1');
  });

  it('rejects a missing, malformed or wrong signature with 401 and does nothing', async () => {
    await start();
    const body = payload('jira:issue_updated');
    const other = payload('jira:issue_updated', 'PAY-2');
    const cases: Record<string, string>[] = [
      {},
      { 'x-hub-signature': '' },
      { 'x-hub-signature': sign(body).replace('sha256=', '') },
      { 'x-hub-signature': sign(body).replace('sha256=', 'sha1=') },
      { 'x-hub-signature': `${sign(body)}00` },
      { 'x-hub-signature': sign(body, 'wrong-secret') },
      { 'x-hub-signature': sign(other) }, // a valid signature of another body
    ];
    for (const headers of cases) {
      const res = await post(body, { ...headers, 'x-atlassian-webhook-identifier': 'd-401' });
      expect(res.status, JSON.stringify(headers)).toBe(401);
    }
    expect(onTicketChanged).not.toHaveBeenCalled();
    // The refused deliveries were not recorded: the genuine one with the same id still goes through.
    const ok = await post(body, { 'x-hub-signature': sign(body), 'x-atlassian-webhook-identifier': 'd-401' });
    expect(ok.status).toBe(202);
    expect(onTicketChanged).toHaveBeenCalledTimes(1);
  });

  it('verifies the raw body bytes: re-serialised JSON does not pass', async () => {
    await start();
    const raw = `{"timestamp": ${SENT_AT}, "webhookEvent": "jira:issue_updated",  "issue": {"key": "PAY-1"}}`;
    const res = await post(JSON.stringify(JSON.parse(raw)), { 'x-hub-signature': sign(raw) });
    expect(res.status).toBe(401);
    const good = await post(raw, { 'x-hub-signature': sign(raw) });
    expect(good.status).toBe(202);
    expect(onTicketChanged).toHaveBeenCalledTimes(1);
  });

  it('de-duplicates by X-Atlassian-Webhook-Identifier', async () => {
    await start();
    const body = payload('jira:issue_updated');
    const headers = { 'x-hub-signature': sign(body), 'x-atlassian-webhook-identifier': 'delivery-dup' };
    expect((await post(body, headers)).status).toBe(202);
    const again = await post(body, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    expect(onTicketChanged).toHaveBeenCalledTimes(1);
  });

  it('de-duplicates a replayed signed body whatever identifier it comes with (fresh or none)', async () => {
    await start();
    const body = payload('jira:issue_updated');
    const signature = { 'x-hub-signature': sign(body) };
    expect((await post(body, { ...signature, 'x-atlassian-webhook-identifier': 'original' })).status).toBe(202);
    for (const headers of [{ 'x-atlassian-webhook-identifier': 'fresh-1' }, { 'x-atlassian-webhook-identifier': 'fresh-2' }, {}] as Record<string, string>[]) {
      const again = await post(body, { ...signature, ...headers });
      expect(again.status, JSON.stringify(headers)).toBe(200);
      expect(await again.json()).toEqual({ duplicate: true });
    }
    // Without any identifier, the first delivery of a body is accepted and its replay is not.
    const other = payload('jira:issue_updated', 'PAY-2');
    expect((await post(other, { 'x-hub-signature': sign(other) })).status).toBe(202);
    expect((await post(other, { 'x-hub-signature': sign(other) })).status).toBe(200);
    expect(onTicketChanged.mock.calls).toEqual([['PAY-1'], ['PAY-2']]);
  });

  it('refuses a signed body whose timestamp is older or newer than the freshness window, or missing, and logs why', async () => {
    await start();
    const cases = [
      { what: 'six minutes old', body: payload('jira:issue_updated', 'PAY-1', SENT_AT - 5 * 60_000) },
      { what: 'six minutes ahead', body: payload('jira:issue_updated', 'PAY-1', SENT_AT + 6 * 60_000 + 1000) },
      { what: 'no timestamp', body: payload('jira:issue_updated', 'PAY-1', null) },
    ];
    for (const { what, body } of cases) {
      const res = await post(body, { 'x-hub-signature': sign(body), 'x-atlassian-webhook-identifier': `id-${what}` });
      expect(res.status, what).toBe(400);
    }
    expect(onTicketChanged).not.toHaveBeenCalled();
    const refusals = logLines.filter((line) => String(line['msg']).startsWith('JIRA webhook refused'));
    expect(refusals.map((line) => line['msg'])).toEqual([
      'JIRA webhook refused: timestamp outside the freshness window (replayed or clock skew)',
      'JIRA webhook refused: timestamp outside the freshness window (replayed or clock skew)',
      'JIRA webhook refused: bad payload',
    ]);
    expect(refusals[2]?.['reason']).toBe('payload has no timestamp (ms)');
    // A body sent 4 minutes ago is still fresh.
    clock = new Date(SENT_AT + 4 * 60_000);
    const fresh = payload('jira:issue_updated', 'PAY-3');
    expect((await post(fresh, { 'x-hub-signature': sign(fresh) })).status).toBe(202);
  });

  it('ignores other events and refuses payloads without issue.key', async () => {
    await start();
    const created = payload('jira:issue_created');
    const ignored = await post(created, { 'x-hub-signature': sign(created) });
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toEqual({ ignored: 'jira:issue_created' });
    for (const body of ['not json', JSON.stringify({ webhookEvent: 'jira:issue_updated' }), JSON.stringify({ issue: { key: '<script>' } })]) {
      const res = await post(body, { 'x-hub-signature': sign(body) });
      expect(res.status, body).toBe(400);
    }
    expect(onTicketChanged).not.toHaveBeenCalled();
  });

  it('answers 413 for a body over 1 MiB, without calling anything', async () => {
    await start();
    const big = JSON.stringify({ timestamp: SENT_AT, webhookEvent: 'jira:issue_updated', issue: { key: 'PAY-1' }, pad: 'x'.repeat(1024 * 1024) });
    const res = await post(big, { 'x-hub-signature': sign(big) });
    expect(res.status).toBe(413);
    expect(onTicketChanged).not.toHaveBeenCalled();
  });

  it('answers without waiting for the work behind onTicketChanged (it is not awaited)', async () => {
    let release: () => void = () => undefined;
    const work = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = false;
    onTicketChanged.mockImplementation(() => {
      void work.then(() => {
        finished = true;
      });
    });
    await start();
    const body = payload('jira:issue_updated');
    const res = await post(body, { 'x-hub-signature': sign(body) });
    expect(res.status).toBe(202);
    expect(finished).toBe(false);
    release();
    await work;
    expect(onTicketChanged).toHaveBeenCalledTimes(1);
  });

  it('is 404 when no JIRA_WEBHOOK_SECRET is configured, and 405 for GET', async () => {
    await start(null);
    const body = payload('jira:issue_updated');
    expect((await post(body, { 'x-hub-signature': sign(body) })).status).toBe(404);
    expect((await fetch(`${server?.baseUrl}/jira/webhook`)).status).toBe(405);
    expect(onTicketChanged).not.toHaveBeenCalled();
  });
});

describe('jira webhook helpers', () => {
  it('verifyJiraSignature checks the HMAC of the raw bytes', () => {
    const body = Buffer.from('{"a":1}');
    expect(verifyJiraSignature(SECRET, body, sign(body))).toBe(true);
    expect(verifyJiraSignature(SECRET, body, sign(body).toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
    expect(verifyJiraSignature(SECRET, body, undefined)).toBe(false);
    expect(verifyJiraSignature(SECRET, body, 'sha256=zz')).toBe(false);
  });

  it('parseJiraWebhook needs an issue key of JIRA shape', () => {
    expect(parseJiraWebhook(Buffer.from(payload('jira:issue_updated', 'ops-7')))).toEqual({
      ok: true,
      event: 'jira:issue_updated',
      key: 'OPS-7',
      timestamp: SENT_AT,
    });
    expect(parseJiraWebhook(Buffer.from(`{"timestamp":${SENT_AT},"issue":{}}`))).toEqual({ ok: false, reason: 'payload has no issue.key' });
    expect(parseJiraWebhook(Buffer.from('{"issue":{"key":"OPS-7"}}'))).toEqual({ ok: false, reason: 'payload has no timestamp (ms)' });
  });

  it('isFresh accepts timestamps within the window either way, and nothing else', () => {
    const now = new Date(SENT_AT);
    expect(isFresh(SENT_AT, now, JIRA_FRESHNESS_WINDOW_MS)).toBe(true);
    expect(isFresh(SENT_AT - JIRA_FRESHNESS_WINDOW_MS, now, JIRA_FRESHNESS_WINDOW_MS)).toBe(true);
    expect(isFresh(SENT_AT + JIRA_FRESHNESS_WINDOW_MS, now, JIRA_FRESHNESS_WINDOW_MS)).toBe(true);
    expect(isFresh(SENT_AT - JIRA_FRESHNESS_WINDOW_MS - 1, now, JIRA_FRESHNESS_WINDOW_MS)).toBe(false);
    expect(isFresh(SENT_AT + JIRA_FRESHNESS_WINDOW_MS + 1, now, JIRA_FRESHNESS_WINDOW_MS)).toBe(false);
    expect(isFresh(Number.NaN, now, JIRA_FRESHNESS_WINDOW_MS)).toBe(false);
  });

  it('jiraDeliveryKeys takes the identifier when sent and always the SHA-256 of the raw body', () => {
    const body = Buffer.from('{"a":1}');
    const hash = '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862';
    expect(jiraDeliveryKeys({ 'x-atlassian-webhook-identifier': 'abc' }, body)).toEqual({ deliveryId: 'abc', bodyHash: hash });
    expect(jiraDeliveryKeys({}, body)).toEqual({ deliveryId: null, bodyHash: hash });
    expect(jiraDeliveryKeys({ 'x-atlassian-webhook-identifier': '  ' }, body)).toEqual({ deliveryId: null, bodyHash: hash });
  });
});
