/**
 * JIRA webhooks: signature check (`X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, constant time),
 * payload parsing, and replay protection (a freshness window on the payload's `timestamp`, and the keys a delivery
 * is de-duplicated by). Pure functions; the route in web-handler.ts does the I/O.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { JiraDeliveryKeys } from '../store/delivery-store.js';

/** Events that make a ticket's reports stale. */
export const JIRA_TICKET_EVENTS: ReadonlySet<string> = new Set(['jira:issue_updated', 'jira:issue_deleted', 'issue_deleted']);

const JIRA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,49}-[1-9][0-9]{0,8}$/;

export function isJiraKeyShape(key: string): boolean {
  return JIRA_KEY.test(key);
}

/** True only for a well-formed `sha256=<64 hex>` header whose HMAC of `rawBody` under `secret` matches. */
export function verifyJiraSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const payloadSchema = z.object({
  /** When JIRA sent the event, in ms since the epoch (Cloud and Data Center both send it). */
  timestamp: z.number().int().nonnegative(),
  webhookEvent: z.string().optional(),
  issue: z.object({ key: z.string().min(1).max(64) }),
});

export type JiraWebhookParse =
  | { readonly ok: true; readonly event: string | null; readonly key: string; readonly timestamp: number }
  | { readonly ok: false; readonly reason: string };

/** Parses the raw body. `event` is the payload's webhookEvent (null when absent). */
export function parseJiraWebhook(rawBody: Buffer): JiraWebhookParse {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0] === 'timestamp' ? 'timestamp (ms)' : 'issue.key';
    return { ok: false, reason: `payload has no ${field}` };
  }
  const key = parsed.data.issue.key.trim();
  if (!isJiraKeyShape(key)) return { ok: false, reason: 'issue.key is not a JIRA key' };
  return { ok: true, event: parsed.data.webhookEvent ?? null, key: key.toUpperCase(), timestamp: parsed.data.timestamp };
}

/** How far a JIRA webhook's timestamp may be from our clock, either way: older (or newer) signed bodies are refused. */
export const JIRA_FRESHNESS_WINDOW_MS = 5 * 60 * 1000;

/** True when `timestamp` (ms) lies within `windowMs` of `now`, in the past or the future. */
export function isFresh(timestamp: number, now: Date, windowMs: number): boolean {
  return Number.isFinite(timestamp) && Math.abs(now.getTime() - timestamp) <= windowMs;
}

/**
 * What a delivery is de-duplicated by: the X-Atlassian-Webhook-Identifier (when sent) and the SHA-256 of the signed
 * raw body, so that a replay of the same signed body with a fresh or no identifier is still a duplicate.
 */
export function jiraDeliveryKeys(headers: IncomingHttpHeaders, rawBody: Buffer): JiraDeliveryKeys {
  const identifier = headers['x-atlassian-webhook-identifier'];
  const deliveryId = typeof identifier === 'string' && identifier.trim() !== '' ? identifier.trim().slice(0, 200) : null;
  return { deliveryId, bodyHash: createHash('sha256').update(rawBody).digest('hex') };
}
