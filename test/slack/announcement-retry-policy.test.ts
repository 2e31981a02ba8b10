import { describe, expect, it } from 'vitest';
import {
  announcementRetryDelayMs,
  classifySlackErrorCode,
  defaultAnnouncementBackoff,
  describeAnnouncementState,
} from '../../src/core/slack-announcement/announcement-retry-policy.js';

const policy = { initialDelayMs: 1000, maxDelayMs: 60_000, permanentErrorDelayMs: 3_600_000 };

describe('announcementRetryDelayMs', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [500, 60_000],
    [0, 1000],
  ])('transient failure after %i attempts waits %i ms', (attempts, expected) => {
    expect(announcementRetryDelayMs(policy, attempts, { kind: 'transient' })).toBe(expected);
  });

  it('waits exactly Retry-After when rate limited (at least 1 s)', () => {
    expect(announcementRetryDelayMs(policy, 5, { kind: 'rate_limited', retryAfterMs: 42_000 })).toBe(42_000);
    expect(announcementRetryDelayMs(policy, 5, { kind: 'rate_limited', retryAfterMs: 10 })).toBe(1000);
    expect(announcementRetryDelayMs(policy, 1, { kind: 'rate_limited' })).toBe(1000);
  });

  it('waits long after a permanent error, whatever the attempt count', () => {
    expect(announcementRetryDelayMs(policy, 1, { kind: 'permanent' })).toBe(3_600_000);
    expect(announcementRetryDelayMs(defaultAnnouncementBackoff, 1, { kind: 'permanent' })).toBe(6 * 3_600_000);
  });
});

describe('classifySlackErrorCode', () => {
  it.each([
    ['channel_not_found', 'permanent'],
    ['not_in_channel', 'permanent'],
    ['is_archived', 'permanent'],
    ['invalid_auth', 'permanent'],
    ['token_revoked', 'permanent'],
    ['missing_scope', 'permanent'],
    ['invalid_blocks', 'permanent'],
    ['internal_error', 'transient'],
    ['fatal_error', 'transient'],
    ['service_unavailable', 'transient'],
    ['request_timeout', 'transient'],
  ])('%s is %s', (code, kind) => {
    expect(classifySlackErrorCode(code)).toBe(kind);
  });
});

describe('describeAnnouncementState', () => {
  const base = { channel: '#deploys', lastError: null, nextAttemptAt: null, rollback: false } as const;
  it.each([
    [{ ...base, state: 'posted' as const }, 'deploy announced in #deploys'],
    [{ ...base, state: 'posted' as const, rollback: true }, 'rollback announced in #deploys'],
    [{ ...base, state: 'pending' as const }, 'deploy announcement pending'],
    [
      { ...base, state: 'failed' as const, lastError: 'Slack error channel_not_found', nextAttemptAt: '2024-05-02T20:00:00.000Z' },
      'not announced: Slack error channel_not_found (next attempt 2024-05-02T20:00:00.000Z)',
    ],
  ])('%o', (record, expected) => {
    expect(describeAnnouncementState(record)).toBe(expected);
  });
});
