/**
 * JIRA webhooks: signature check (`X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, constant time)
 * and payload parsing. Pure functions; the route in web-handler.ts does the I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

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
  webhookEvent: z.string().optional(),
  issue: z.object({ key: z.string().min(1).max(64) }),
});

export type JiraWebhookParse =
  | { readonly ok: true; readonly event: string | null; readonly key: string }
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
  if (!parsed.success) return { ok: false, reason: 'payload has no issue.key' };
  const key = parsed.data.issue.key.trim();
  if (!isJiraKeyShape(key)) return { ok: false, reason: 'issue.key is not a JIRA key' };
  return { ok: true, event: parsed.data.webhookEvent ?? null, key: key.toUpperCase() };
}
