/**
 * POST /slack/interactions, mounted in the web handler, served on loopback, with a fake Slack Web API on loopback
 * (the real WebClient of createApprovalSlackClient talks to it) and a fake DeployApprovals that honours the port's
 * contract (the first decision is applied, later ones are not; an applied decision updates the message once).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalDecision, DeployApprovals, PendingApproval } from '../../src/core/approval/deploy-approval-port.js';
import { EnvError, readEnvOptions } from '../../src/app/read-env-options.js';
import { createApprovalSlackClient } from '../../src/slack/approval-request-poster.js';
import { createSlackInteractionsRoute, type SlackInteractionsRoute } from '../../src/web/slack-interactions-route.js';
import { captureLogger, type CapturedLogger } from '../slack/slack-test-support.js';
import { InMemoryReportStore } from './in-memory-report-store.js';
import { type RunningWebServer, startWebServer } from './web-test-server.js';

const SECRET = 'slack-signing-secret-0123456789';
const TOKEN = 'xoxb-approval-test-token';
const NOW = new Date('2026-12-02T01:45:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const CHANNEL = 'C0DEPLOYS';

// --- fake Slack Web API on loopback -------------------------------------------------------------------------

interface SlackCall {
  readonly method: string;
  readonly form: Record<string, string>;
}

class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly unexpected: string[] = [];
  groups: Record<string, string[]> = {};
  private waiters: (() => void)[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(
      (req, res) => void this.answer(req).then(({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))),
    );
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  /** Resolves once `n` calls of `method` arrived. */
  waitFor(method: string, n = 1): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.calls.filter((c) => c.method === method).length >= n) {
          resolve();
          return true;
        }
        return false;
      };
      if (!check()) this.waiters.push(() => void check());
    });
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const method = (req.url ?? '').replace(/^\/api\//, '');
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    let result: { status: number; body: unknown };
    if (!authorized || !req.url?.startsWith('/api/')) {
      this.unexpected.push(`${req.method} ${req.url}`);
      result = { status: 404, body: { ok: false, error: 'unknown_method' } };
    } else if (method === 'usergroups.users.list') {
      const users = this.groups[form['usergroup'] ?? ''];
      result = users ? { status: 200, body: { ok: true, users } } : { status: 200, body: { ok: false, error: 'no_such_subteam' } };
    } else if (method === 'chat.postEphemeral') {
      result = { status: 200, body: { ok: true, message_ts: '1764640000.000100' } };
    } else {
      this.unexpected.push(`${req.method} ${req.url}`);
      result = { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
    this.calls.push({ method, form });
    for (const w of this.waiters) w();
    return result;
  }
}

// --- fake DeployApprovals honouring the contract ------------------------------------------------------------

class FakeApprovals implements DeployApprovals {
  readonly decisions: ApprovalDecision[] = [];
  readonly applied: ApprovalDecision[] = [];
  /** What decide's implementation rewrote in Slack (the contract: it updates, the route does not). */
  readonly updates: { reviewId: number; state: string; by: string }[] = [];
  /** Simulates a race: get() keeps answering the state from before any decision. */
  staleGet = false;
  failDecide = false;
  private readonly approvals = new Map<number, PendingApproval>();

  add(approval: Partial<PendingApproval> & { reviewId: number }): void {
    this.approvals.set(approval.reviewId, {
      repo: { owner: 'acme', repo: 'shop' },
      environment: 'production',
      sha: 'c0ffee1234567890abcdef1234567890abcdef12',
      approvers: ['U0ONCALL1', 'S0RELEASE'],
      state: 'waiting',
      slackMessage: { channel: CHANNEL, ts: '1764639000.000200' },
      ...approval,
    });
  }

  private readonly initial = new Map<number, PendingApproval>();

  async get(reviewId: number): Promise<PendingApproval | null> {
    if (this.staleGet) return this.initial.get(reviewId) ?? this.approvals.get(reviewId) ?? null;
    return this.approvals.get(reviewId) ?? null;
  }

  async decide(decision: ApprovalDecision) {
    this.decisions.push(decision);
    if (this.failDecide) throw new Error('database is locked');
    const current = this.approvals.get(decision.reviewId);
    if (!current) throw new Error('unknown review');
    if (!this.initial.has(decision.reviewId)) this.initial.set(decision.reviewId, current);
    if (current.state !== 'waiting') return { applied: false, approval: current };
    const next: PendingApproval = { ...current, state: decision.state };
    this.approvals.set(decision.reviewId, next);
    this.applied.push(decision);
    this.updates.push({ reviewId: decision.reviewId, state: decision.state, by: decision.slackUserId });
    return { applied: true, approval: next };
  }
}

// --- harness ----------------------------------------------------------------------------------------------

let slackApi: FakeSlackApi;
let approvals: FakeApprovals;
let route: SlackInteractionsRoute;
let web: RunningWebServer;
let webRunning = false;
let log: CapturedLogger;
let clock: Date;

async function start(signingSecret: string | null = SECRET): Promise<void> {
  route = createSlackInteractionsRoute({
    signingSecret,
    approvals,
    slack: createApprovalSlackClient({ token: TOKEN, apiUrl: `${slackApi.url}/api/`, logger: log.logger, timeoutMs: 2000 }),
    logger: log.logger,
    now: () => clock,
  });
  web = await startWebServer((baseUrl) => ({
    store: new InMemoryReportStore(),
    auth: { mode: 'off' },
    publicUrl: baseUrl,
    jiraWebhookSecret: null,
    recheck: async () => undefined,
    onTicketChanged: () => undefined,
    slackInteractions: route,
    logger: log.logger,
  }));
  webRunning = true;
}

beforeEach(async () => {
  clock = NOW;
  log = captureLogger();
  slackApi = new FakeSlackApi();
  await slackApi.start();
  approvals = new FakeApprovals();
  approvals.add({ reviewId: 4242 });
});

afterEach(async () => {
  if (webRunning) await web.close();
  webRunning = false;
  await slackApi.stop();
});

function clickPayload(overrides: Record<string, unknown> = {}, action: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: 'U0ONCALL1', username: 'ada', name: 'ada' },
    actions: [{ action_id: 'deploy_approval_approve', value: '4242', type: 'button', block_id: 'b1', action_ts: String(NOW_S), ...action }],
    container: { type: 'message', channel_id: CHANNEL, message_ts: '1764639000.000200' },
    channel: { id: CHANNEL, name: 'deploys' },
    // Attacker-influenced text: the route must never call it.
    response_url: `${slackApi.url}/response-url-must-not-be-called`,
    ...overrides,
  };
}

function formBody(payload: unknown): string {
  return new URLSearchParams({ payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }).toString();
}

function signature(body: string, timestamp: number | string, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

async function send(
  body: string,
  options: { timestamp?: number | string | null; signature?: string | null; method?: string } = {},
): Promise<{ status: number; text: string }> {
  const timestamp = options.timestamp === undefined ? NOW_S : options.timestamp;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (timestamp !== null) headers['x-slack-request-timestamp'] = String(timestamp);
  const sig = options.signature === undefined ? signature(body, timestamp ?? '') : options.signature;
  if (sig !== null) headers['x-slack-signature'] = sig;
  const method = options.method ?? 'POST';
  const res = await fetch(`${web.baseUrl}/slack/interactions`, { method, headers, ...(method === 'POST' ? { body } : {}) });
  return { status: res.status, text: await res.text() };
}

function ephemerals(): Record<string, string>[] {
  return slackApi.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => c.form);
}

describe('POST /slack/interactions: an approver decides', () => {
  it.each([
    ['deploy_approval_approve', 'approved'],
    ['deploy_approval_reject', 'rejected'],
  ] as const)('%s from an approver listed by id: answered 200 at once, decided once as %s, no note', async (actionId, state) => {
    await start();
    const res = await send(formBody(clickPayload({}, { action_id: actionId })));
    expect(res).toEqual({ status: 200, text: '' });
    await route.idle();
    expect(approvals.decisions).toEqual([{ reviewId: 4242, state, slackUserId: 'U0ONCALL1', slackUserName: 'ada', at: NOW.toISOString() }]);
    expect(approvals.updates).toEqual([{ reviewId: 4242, state, by: 'U0ONCALL1' }]);
    expect(slackApi.calls).toEqual([]);
    expect(slackApi.unexpected).toEqual([]);
  });

  it('a member of a listed user group is allowed (usergroups.users.list)', async () => {
    slackApi.groups = { S0RELEASE: ['U0OTHER', 'U0GROUPIE'] };
    await start();
    expect((await send(formBody(clickPayload({ user: { id: 'U0GROUPIE', username: 'grace' } })))).status).toBe(200);
    await route.idle();
    expect(slackApi.calls).toEqual([{ method: 'usergroups.users.list', form: expect.objectContaining({ usergroup: 'S0RELEASE' }) }]);
    expect(approvals.applied).toEqual([expect.objectContaining({ reviewId: 4242, state: 'approved', slackUserId: 'U0GROUPIE', slackUserName: 'grace' })]);
    expect(slackApi.unexpected).toEqual([]);
  });

  it('accepts a timestamp four minutes old', async () => {
    await start();
    const body = formBody(clickPayload());
    expect((await send(body, { timestamp: NOW_S - 240 })).status).toBe(200);
    await route.idle();
    expect(approvals.applied).toHaveLength(1);
  });
});

describe('POST /slack/interactions: refused requests decide nothing', () => {
  const body = () => formBody(clickPayload());

  it.each([
    ['a signature made with another secret', () => send(body(), { signature: signature(body(), NOW_S, 'another-secret-0123456789') })],
    ['a signature over another body', () => send(body(), { signature: signature(formBody(clickPayload({}, { action_id: 'deploy_approval_reject' })), NOW_S) })],
    ['a signature of another length', () => send(body(), { signature: 'v0=abc' })],
    ['a signature without v0=', () => send(body(), { signature: signature(body(), NOW_S).slice(3) })],
    ['a timestamp older than 5 minutes (signed)', () => send(body(), { timestamp: NOW_S - 301 })],
    ['a timestamp more than 5 minutes ahead (signed)', () => send(body(), { timestamp: NOW_S + 301 })],
    ['a timestamp that is not a number', () => send(body(), { timestamp: 'yesterday' })],
    ['no signature header', () => send(body(), { signature: null })],
    ['no timestamp header', () => send(body(), { timestamp: null, signature: signature(body(), NOW_S) })],
  ])('%s → 401', async (_name, request) => {
    await start();
    const res = await request();
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({ error: 'bad signature' });
    await route.idle();
    expect(approvals.decisions).toEqual([]);
    expect(slackApi.calls).toEqual([]);
  });

  it('a body over 64 KiB → 413 before the signature is checked', async () => {
    await start();
    const big = formBody(clickPayload({ padding: 'x'.repeat(70_000) }));
    const res = await send(big);
    expect(res.status).toBe(413);
    await route.idle();
    expect(approvals.decisions).toEqual([]);
  });

  it('without SLACK_SIGNING_SECRET the route answers 404', async () => {
    await start(null);
    const res = await send(body());
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ error: 'Slack interactions not configured' });
    expect(approvals.decisions).toEqual([]);
  });

  it('GET → 405 with Allow: POST', async () => {
    await start();
    const res = await fetch(`${web.baseUrl}/slack/interactions`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['payload that is not JSON', () => 'payload=%7Bnot-json', 400, 'payload is not JSON'],
    ['no payload field', () => 'something=else', 400, 'no payload field'],
    ['a payload without a type', () => formBody({ user: { id: 'U0ONCALL1' } }), 400, 'payload has no type'],
    ['block_actions with a forged user id', () => formBody(clickPayload({ user: { id: '<!channel>' } })), 400, 'malformed block_actions payload'],
    ['a button value that is not a review id', () => formBody(clickPayload({}, { value: '4242; DROP TABLE' })), 400, 'button value is not a review id'],
    ['a JSON array', () => formBody('[1,2,3]'), 400, 'payload has no type'],
  ])('signed %s → %i, nothing decided, no crash', async (_name, raw, status, error) => {
    await start();
    const res = await send(raw());
    expect(res.status).toBe(status);
    expect(JSON.parse(res.text)).toEqual({ error });
    await route.idle();
    expect(approvals.decisions).toEqual([]);
    // The server still answers.
    expect((await send(formBody(clickPayload()))).status).toBe(200);
  });

  it.each([
    ['another interaction type', () => formBody({ type: 'view_submission', user: { id: 'U0ONCALL1' } })],
    ['another button', () => formBody(clickPayload({}, { action_id: 'view_report', value: undefined }))],
  ])('signed %s → 200 and ignored', async (_name, raw) => {
    await start();
    expect(await send(raw())).toEqual({ status: 200, text: '' });
    await route.idle();
    expect(approvals.decisions).toEqual([]);
    expect(slackApi.calls).toEqual([]);
  });
});

describe('POST /slack/interactions: who may decide, and deciding once', () => {
  it('someone who is neither listed nor in a listed group gets an ephemeral "not allowed"; nothing is decided', async () => {
    slackApi.groups = { S0RELEASE: ['U0OTHER'] };
    await start();
    expect((await send(formBody(clickPayload({ user: { id: 'U0INTRUDER', username: 'mallory' } })))).status).toBe(200);
    await route.idle();
    expect(approvals.decisions).toEqual([]);
    expect(approvals.updates).toEqual([]);
    expect(ephemerals()).toEqual([
      expect.objectContaining({
        channel: CHANNEL,
        user: 'U0INTRUDER',
        text: 'You are not allowed to decide this deploy; nothing was changed. Approvers: <@U0ONCALL1> <!subteam^S0RELEASE>',
      }),
    ]);
    expect(slackApi.unexpected).toEqual([]);
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: 'Slack decision refused: not an approver', userId: 'U0INTRUDER' }));
  });

  it('when a user group cannot be read, the click is refused (fails closed) with a note saying so', async () => {
    slackApi.groups = {};
    await start();
    await send(formBody(clickPayload({ user: { id: 'U0MAYBE' } })));
    await route.idle();
    expect(approvals.decisions).toEqual([]);
    expect(ephemerals()[0]?.['text']).toContain('could not read the approvers’ user groups from Slack');
  });

  it('a double click applies one decision and updates the message once; the second click gets "already decided"', async () => {
    await start();
    const body = formBody(clickPayload());
    expect((await send(body)).status).toBe(200);
    expect((await send(body)).status).toBe(200);
    await route.idle();
    expect(approvals.applied).toHaveLength(1);
    expect(approvals.updates).toHaveLength(1);
    expect(ephemerals()).toEqual([expect.objectContaining({ user: 'U0ONCALL1', text: 'This deploy was already approved; your click changed nothing.' })]);
  });

  it('two approvers racing (decide answers applied: false): one decision, one update, the loser is told', async () => {
    approvals.staleGet = true;
    await start();
    await send(formBody(clickPayload()));
    await route.idle();
    await send(formBody(clickPayload({ user: { id: 'U0ONCALL1', username: 'ada' } }, { action_id: 'deploy_approval_reject' })));
    await route.idle();
    expect(approvals.decisions.map((d) => d.state)).toEqual(['approved', 'rejected']);
    expect(approvals.applied.map((d) => d.state)).toEqual(['approved']);
    expect(approvals.updates).toHaveLength(1);
    expect(ephemerals()).toEqual([expect.objectContaining({ text: 'This deploy was already approved; your click changed nothing.' })]);
  });

  it('a click on an unknown review gets a note; nothing is decided', async () => {
    await start();
    await send(formBody(clickPayload({}, { value: '999' })));
    await route.idle();
    expect(approvals.decisions).toEqual([]);
    expect(ephemerals()).toEqual([expect.objectContaining({ text: 'deploy-checker does not know this approval request any more; nothing was changed.' })]);
  });

  it('a failing decide is logged and told to the clicker; the process keeps serving', async () => {
    approvals.failDecide = true;
    await start();
    expect((await send(formBody(clickPayload()))).status).toBe(200);
    await route.idle();
    expect(ephemerals()).toEqual([expect.objectContaining({ text: 'deploy-checker could not record your decision. Try again in a moment.' })]);
    expect(log.lines()).toContainEqual(expect.objectContaining({ msg: 'Slack decision failed', error: 'database is locked' }));
    expect((await send('payload=%7B')).status).toBe(400);
  });

  it('never logs the signing secret or the bot token', async () => {
    await start();
    await send(formBody(clickPayload({ user: { id: 'U0INTRUDER' } })));
    await send(formBody(clickPayload()), { signature: 'v0=bad' });
    await route.idle();
    expect(log.raw()).not.toContain(SECRET);
    expect(log.raw()).not.toContain(TOKEN);
  });
});

describe('SLACK_SIGNING_SECRET', () => {
  it('is read from the environment; unset means null (route answers 404); a short one is refused at start', () => {
    expect(readEnvOptions({ SLACK_SIGNING_SECRET: SECRET }, '/').slackSigningSecret).toBe(SECRET);
    expect(readEnvOptions({}, '/').slackSigningSecret).toBeNull();
    expect(() => readEnvOptions({ SLACK_SIGNING_SECRET: 'short' }, '/')).toThrow(EnvError);
  });
});
