/**
 * POST /slack/interactions: Slack's Interactivity Request URL, where the on-call's Approve / Reject clicks on a
 * deploy approval request arrive.
 *
 * Order: path and method (405 for other methods) · SLACK_SIGNING_SECRET set (else 404) · body at most 64 KiB (413,
 * before any parsing) · Slack's signature: `X-Slack-Request-Timestamp` within 5 minutes of now and
 * `X-Slack-Signature` = `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`, compared in constant time (401
 * otherwise, also when a header is missing) · the payload (zod; not an interaction → 400, another type or button →
 * 200 and ignored) · 200 at once (Slack wants an answer within 3 s), then the decision in the background:
 *
 * - unknown or no longer waiting review → an ephemeral note to the clicker;
 * - the clicker must be an approver (their id listed, or a member of a listed user group, asked with
 *   usergroups.users.list); anyone else gets an ephemeral "not allowed" and nothing is decided;
 * - an approver's click → DeployApprovals.decide; a second click (applied: false) gets an ephemeral "already
 *   decided". The message itself is rewritten by decide's implementation, never by this route.
 *
 * Ephemeral notes go through chat.postEphemeral; the payload's `response_url` is never used (it is text in the
 * payload, and the route does not fetch URLs it is handed). Errors are logged and never thrown.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { DeployApprovals, PendingApproval } from '../core/approval/deploy-approval-port.js';
import type { ApprovalSlackClient } from '../core/slack-approval/approval-slack-port.js';
import { parseSlackInteraction, type SlackInteraction } from '../core/slack-approval/slack-interaction-payload.js';
import { slackMentions } from '../core/slack-announcement/build-deploy-announcement.js';
import { sendJson } from './http-io.js';
import { readLimitedBody, refuseTooLarge } from './request-limits.js';

export const SLACK_INTERACTIONS_PATH = '/slack/interactions';
export const SLACK_INTERACTIONS_BODY_LIMIT = 64 * 1024;
/** Slack's advice: refuse requests whose timestamp is more than five minutes away from now (replays). */
export const SLACK_SIGNATURE_MAX_AGE_MS = 5 * 60_000;

export interface SlackInteractionsDeps {
  /** SLACK_SIGNING_SECRET; null: the route answers 404. */
  readonly signingSecret: string | null;
  readonly approvals: DeployApprovals;
  readonly slack: ApprovalSlackClient;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly maxBodyBytes?: number;
}

export interface SlackInteractionsRoute {
  /** True when it answered (the path is /slack/interactions), false to let the next handler run. */
  (req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Resolves once every decision started so far has finished (tests; graceful shutdown). */
  idle(): Promise<void>;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

/** Slack's request signature check (https://api.slack.com/authentication/verifying-requests-from-slack). */
export function verifySlackSignature(secret: string, rawBody: Buffer, timestamp: string | null, signature: string | null, now: Date): boolean {
  if (timestamp === null || signature === null || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > SLACK_SIGNATURE_MAX_AGE_MS) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`, 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

type Decision = Extract<SlackInteraction, { kind: 'decision' }>;
type Membership = 'approver' | 'not-approver' | 'unknown';

export function createSlackInteractionsRoute(deps: SlackInteractionsDeps): SlackInteractionsRoute {
  const log = deps.logger.child({ component: 'slack-interactions' });
  const now = deps.now ?? (() => new Date());
  const limit = deps.maxBodyBytes ?? SLACK_INTERACTIONS_BODY_LIMIT;
  const inFlight = new Set<Promise<void>>();

  async function note(decision: Decision, text: string): Promise<void> {
    if (decision.channel === null) {
      log.warn({ reviewId: decision.reviewId, userId: decision.userId }, 'no channel in the interaction: ephemeral note not sent');
      return;
    }
    try {
      await deps.slack.postEphemeral(decision.channel, decision.userId, text);
    } catch (err) {
      log.warn({ reviewId: decision.reviewId, userId: decision.userId, error: err instanceof Error ? err.message : String(err) }, 'ephemeral note not sent');
    }
  }

  async function membership(userId: string, approval: PendingApproval): Promise<Membership> {
    if (approval.approvers.includes(userId)) return 'approver';
    let unknown = false;
    for (const group of approval.approvers.filter((a) => a.startsWith('S'))) {
      try {
        if ((await deps.slack.userGroupMembers(group)).includes(userId)) return 'approver';
      } catch (err) {
        unknown = true;
        log.warn({ reviewId: approval.reviewId, group, error: err instanceof Error ? err.message : String(err) }, 'Slack user group not read');
      }
    }
    return unknown ? 'unknown' : 'not-approver';
  }

  async function decide(d: Decision): Promise<void> {
    const approval = await deps.approvals.get(d.reviewId);
    if (approval === null) {
      log.warn({ reviewId: d.reviewId, userId: d.userId }, 'Slack decision on an unknown review');
      return note(d, 'deploy-checker does not know this approval request any more; nothing was changed.');
    }
    if (approval.state !== 'waiting') {
      log.info({ reviewId: d.reviewId, userId: d.userId, state: approval.state }, 'Slack decision on an already decided review');
      return note(d, `This deploy was already ${approval.state}; your click changed nothing.`);
    }
    const member = await membership(d.userId, approval);
    if (member !== 'approver') {
      log.warn({ reviewId: d.reviewId, userId: d.userId, state: d.state, membership: member }, 'Slack decision refused: not an approver');
      const who = slackMentions(approval.approvers);
      const because = member === 'unknown' ? ' (deploy-checker could not read the approvers’ user groups from Slack)' : '';
      return note(d, `You are not allowed to decide this deploy${because}; nothing was changed.${who !== '' ? ` Approvers: ${who}` : ''}`);
    }
    const result = await deps.approvals.decide({
      reviewId: d.reviewId,
      state: d.state,
      slackUserId: d.userId,
      slackUserName: d.userName,
      at: now().toISOString(),
    });
    if (!result.applied) {
      log.info({ reviewId: d.reviewId, userId: d.userId, state: result.approval.state }, 'Slack decision not applied: already decided');
      return note(d, `This deploy was already ${result.approval.state}; your click changed nothing.`);
    }
    log.info({ reviewId: d.reviewId, userId: d.userId, state: d.state }, 'deploy approval decided from Slack');
  }

  function runInBackground(d: Decision): void {
    const run = decide(d).catch(async (err: unknown) => {
      log.error({ reviewId: d.reviewId, userId: d.userId, error: err instanceof Error ? err.message : String(err) }, 'Slack decision failed');
      await note(d, 'deploy-checker could not record your decision. Try again in a moment.');
    });
    const tracked = run.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendJson(req, res, 405, { error: 'method not allowed' });
    }
    if (deps.signingSecret === null) return sendJson(req, res, 404, { error: 'Slack interactions not configured' });
    const body = await readLimitedBody(req, limit);
    if (!body.ok) {
      if (body.reason === 'aborted') return void res.destroy();
      log.warn({ contentLength: req.headers['content-length'] ?? null, limit }, 'Slack interaction body too large: refused');
      return refuseTooLarge(req, res, () => sendJson(req, res, 413, { error: `body larger than ${limit} bytes` }));
    }
    const timestamp = header(req, 'x-slack-request-timestamp');
    const signature = header(req, 'x-slack-signature');
    if (!verifySlackSignature(deps.signingSecret, body.body, timestamp, signature, now())) {
      log.warn({ signed: signature !== null, timestamp }, 'Slack interaction refused: missing, stale or wrong signature');
      return sendJson(req, res, 401, { error: 'bad signature' });
    }
    const interaction = parseSlackInteraction(body.body.toString('utf8'));
    if (interaction.kind === 'invalid') {
      log.warn({ reason: interaction.reason }, 'Slack interaction refused: bad payload');
      return sendJson(req, res, 400, { error: interaction.reason });
    }
    res.statusCode = 200;
    res.setHeader('Content-Length', 0);
    res.end();
    if (interaction.kind === 'ignored') {
      log.debug({ type: interaction.type }, 'Slack interaction ignored');
      return;
    }
    runInBackground(interaction);
  }

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    let path: string;
    try {
      path = withoutTrailingSlash(new URL(req.url ?? '/', 'http://slack-interactions.invalid').pathname);
    } catch {
      return false;
    }
    if (path !== SLACK_INTERACTIONS_PATH) return false;
    try {
      await handle(req, res);
    } catch (err) {
      log.error({ error: err instanceof Error ? err.message : String(err) }, 'Slack interaction failed');
      if (!res.headersSent) sendJson(req, res, 500, { error: 'internal error' });
      else res.destroy();
    }
    return true;
  };

  return Object.assign(route, {
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  });
}
