/**
 * POST /jira/webhook: size limit first (BODY_LIMITS.jiraWebhook), then the signature over the raw body, then the
 * payload (zod), its freshness (timestamp within JIRA_FRESHNESS_WINDOW_MS), then delivery de-duplication by identifier
 * and by a hash of the signed body; accepted ticket changes are handed to onTicketChanged.
 */
import { sendJson } from './http-io.js';
import { isFresh, JIRA_FRESHNESS_WINDOW_MS, JIRA_TICKET_EVENTS, jiraDeliveryKeys, parseJiraWebhook, verifyJiraSignature } from './jira-webhook.js';
import { BODY_LIMITS, readLimitedBody, refuseTooLarge } from './request-limits.js';
import type { RouteHandler } from './route-request.js';

export const jiraWebhookRoute: RouteHandler = async (ctx, { req, res }) => {
  const { deps, log } = ctx;
  const deliveryId = typeof req.headers['x-atlassian-webhook-identifier'] === 'string' ? req.headers['x-atlassian-webhook-identifier'] : null;
  if (deps.jiraWebhookSecret === null) return sendJson(req, res, 404, { error: 'JIRA webhook not configured' });
  const body = await readLimitedBody(req, deps.options?.maxWebhookBodyBytes ?? BODY_LIMITS.jiraWebhook);
  if (!body.ok) {
    if (body.reason === 'aborted') return void res.destroy();
    log.warn({ deliveryId }, 'JIRA webhook body too large');
    return refuseTooLarge(req, res, () => sendJson(req, res, 413, { error: 'body too large' }));
  }
  const signature = req.headers['x-hub-signature'];
  if (!verifyJiraSignature(deps.jiraWebhookSecret, body.body, typeof signature === 'string' ? signature : undefined)) {
    log.warn({ deliveryId, signed: typeof signature === 'string' }, 'JIRA webhook refused: missing or wrong signature');
    return sendJson(req, res, 401, { error: 'bad signature' });
  }
  const parsed = parseJiraWebhook(body.body);
  if (!parsed.ok) {
    log.warn({ deliveryId, reason: parsed.reason }, 'JIRA webhook refused: bad payload');
    return sendJson(req, res, 400, { error: parsed.reason });
  }
  if (!isFresh(parsed.timestamp, ctx.now(), JIRA_FRESHNESS_WINDOW_MS)) {
    log.warn(
      { deliveryId, timestamp: parsed.timestamp, now: ctx.now().getTime() },
      'JIRA webhook refused: timestamp outside the freshness window (replayed or clock skew)',
    );
    return sendJson(req, res, 400, { error: 'stale timestamp' });
  }
  if (parsed.event !== null && !JIRA_TICKET_EVENTS.has(parsed.event)) {
    return sendJson(req, res, 200, { ignored: parsed.event });
  }
  if (!(await deps.store.recordJiraDelivery(jiraDeliveryKeys(req.headers, body.body), ctx.now()))) {
    log.info({ deliveryId, key: parsed.key }, 'JIRA webhook duplicate ignored');
    return sendJson(req, res, 200, { duplicate: true });
  }
  log.info({ deliveryId, key: parsed.key, event: parsed.event }, 'JIRA ticket changed');
  try {
    deps.onTicketChanged(parsed.key);
  } catch (err) {
    log.error({ err, key: parsed.key }, 'onTicketChanged threw');
  }
  sendJson(req, res, 202, { accepted: parsed.key });
};
