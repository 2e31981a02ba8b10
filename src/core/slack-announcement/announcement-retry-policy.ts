/**
 * When to try a failed announcement again. Pure.
 * - rate limited (HTTP 429 / `ratelimited`): exactly after Slack's Retry-After;
 * - transient (Slack or network down, 5xx, timeouts): exponential backoff from `initialDelayMs`, capped;
 * - permanent (channel_not_found, not_in_channel, is_archived, invalid_auth, token_revoked, …): a human must fix
 *   the config or the token, so a long delay (`permanentErrorDelayMs`), never giving up.
 */

export type AnnouncementFailureKind = 'rate_limited' | 'transient' | 'permanent';

export interface AnnouncementBackoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly permanentErrorDelayMs: number;
}

export const defaultAnnouncementBackoff: AnnouncementBackoff = {
  initialDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
  permanentErrorDelayMs: 6 * 60 * 60_000,
};

/** Slack error codes worth retrying soon; every other platform error needs a human. */
const TRANSIENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'timeout',
  'team_added_to_org',
  'ratelimited',
  'rate_limited',
]);

export function classifySlackErrorCode(code: string): 'transient' | 'permanent' {
  return TRANSIENT_SLACK_ERRORS.has(code) ? 'transient' : 'permanent';
}

/**
 * Delay before the next attempt. `attempts` is the attempt count of the record as claimed (1 for the first
 * attempt when the store counts claims; 0 works the same).
 */
export function announcementRetryDelayMs(
  policy: AnnouncementBackoff,
  attempts: number,
  failure: { readonly kind: AnnouncementFailureKind; readonly retryAfterMs?: number },
): number {
  if (failure.kind === 'permanent') return policy.permanentErrorDelayMs;
  if (failure.kind === 'rate_limited' && failure.retryAfterMs !== undefined && failure.retryAfterMs > 0) {
    return Math.max(1000, failure.retryAfterMs);
  }
  const exponent = Math.min(30, Math.max(0, attempts - 1));
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
}

/** What the report page says about an announcement record ("not announced: reason"). */
export function describeAnnouncementState(record: {
  readonly state: 'pending' | 'posted' | 'failed';
  readonly channel: string;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly rollback: boolean;
}): string {
  const what = record.rollback ? 'rollback' : 'deploy';
  if (record.state === 'posted') return `${what} announced in ${record.channel}`;
  if (record.lastError === null) return `${what} announcement pending`;
  const next = record.nextAttemptAt ? ` (next attempt ${record.nextAttemptAt})` : '';
  return `not announced: ${record.lastError}${next}`;
}
