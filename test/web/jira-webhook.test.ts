/** POST /jira/webhook on a real HTTP server: signature, de-duplication, payload parsing, size limit. */
import { createHmac } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseJiraWebhook, verifyJiraSignature } from '../../src/web/jira-webhook.js';
import { InMemoryReportStore } from './in-memory-report-store.js';
import { silentLogger, startWebServer, type RunningWebServer } from './web-test-server.js';

const SECRET = 'jira-webhook-secret';

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
    logger: silentLogger,
  }));
  return server;
}

function sign(body: string | Buffer, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function payload(event: string, key = 'PAY-1'): string {
  return JSON.stringify({ timestamp: 1714557600000, webhookEvent: event, issue: { id: '10001', key, fields: { summary: 'x' } } });
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
    const raw = '{"webhookEvent": "jira:issue_updated",  "issue": {"key": "PAY-1"}}';
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
    const big = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { key: 'PAY-1' }, pad: 'x'.repeat(1024 * 1024) });
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
    expect(parseJiraWebhook(Buffer.from(payload('jira:issue_updated', 'ops-7')))).toEqual({ ok: true, event: 'jira:issue_updated', key: 'OPS-7' });
    expect(parseJiraWebhook(Buffer.from('{"issue":{}}'))).toEqual({ ok: false, reason: 'payload has no issue.key' });
  });
});
