import { describe, expect, it } from 'vitest';
import { decideProtection, PROTECTION_COMMENT_MAX, protectionComment, type ProtectionSituation } from '../../src/core/protection/protection-decision.js';
import { parseDuration } from '../../src/core/protection/protection-duration.js';
import type { Finding } from '../../src/core/domain.js';

describe('parseDuration', () => {
  it.each([
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    ['2d', 172_800_000],
    [' 7d ', 604_800_000],
    ['0m', null],
    ['1.5h', null],
    ['24', null],
    ['1w', null],
    ['', null],
    ['-1h', null],
  ])('%j → %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

const REQUESTED = '2026-12-01T10:00:00.000Z';
const HOUR = 3_600_000;
const URL = 'https://checker.test/deploys/acme/shop/abc';
const findings: Finding[] = [
  { rule: 'ticket-status', summary: 'PROJ-12 is In Progress', fix: 'move it', ticketKey: 'PROJ-12' },
  { rule: 'commit-without-ticket', summary: 'abc has no ticket', fix: 'x', commitSha: 'abc' },
];
const settings = (over: Partial<{ onProblems: 'reject' | 'wait'; approvers: string[] }> = {}) => ({
  onProblems: over.onProblems ?? 'reject',
  maxWaitMs: 24 * HOUR,
  approvers: over.approvers ?? [],
});
const evaluated = (state: 'success' | 'failure' | 'error', over: Parameters<typeof settings>[0] = {}): ProtectionSituation => ({
  kind: 'evaluated',
  settings: settings(over),
  state,
  findings: state === 'failure' ? findings : [],
  error: state === 'error' ? 'JIRA answered HTTP 503' : null,
});

describe('decideProtection', () => {
  it.each<[string, ProtectionSituation, number, ReturnType<typeof decideProtection>]>([
    [
      'not configured → approved, not gated, no report link',
      { kind: 'not-configured' },
      0,
      {
        kind: 'answer',
        state: 'approved',
        comment: 'Environment "production" is not gated by deploy-checker (not listed under environments in .github/deploy-checker.yml).',
      },
    ],
    [
      'config invalid, within the wait → wait',
      { kind: 'config-invalid', error: 'invalid .github/deploy-checker.yml: rules.x: bad', maxWaitMs: 24 * HOUR },
      1,
      { kind: 'wait', reason: 'config', detail: 'invalid .github/deploy-checker.yml: rules.x: bad' },
    ],
    [
      'config invalid after the wait → rejected with the error',
      { kind: 'config-invalid', error: 'invalid .github/deploy-checker.yml: rules.x: bad', maxWaitMs: 24 * HOUR },
      24,
      { kind: 'answer', state: 'rejected', comment: 'Rejected after 24h: invalid .github/deploy-checker.yml: rules.x: bad' },
    ],
    [
      'clean, no approvers → approved with the report',
      evaluated('success'),
      0,
      { kind: 'answer', state: 'approved', comment: `Approved by deploy-checker: no problems found.\nReport: ${URL}` },
    ],
    [
      'clean with approvers → waits for a human',
      evaluated('success', { approvers: ['S0REL'] }),
      1,
      { kind: 'wait', reason: 'approval', detail: 'clean; waiting for an approver in Slack' },
    ],
    [
      'clean with approvers after the wait → rejected',
      evaluated('success', { approvers: ['S0REL'] }),
      25,
      { kind: 'answer', state: 'rejected', comment: `Rejected after 24h: no approver decided\nReport: ${URL}` },
    ],
    [
      'problems, reject → rejected naming them',
      evaluated('failure'),
      0,
      { kind: 'answer', state: 'rejected', comment: `Rejected: 2 problems: PROJ-12 is In Progress; 1 commit without a ticket\nReport: ${URL}` },
    ],
    [
      'problems, wait → wait',
      evaluated('failure', { onProblems: 'wait' }),
      23,
      { kind: 'wait', reason: 'problems', detail: '2 problems: PROJ-12 is In Progress; 1 commit without a ticket' },
    ],
    [
      'problems, wait, after maxWait → rejected with them',
      evaluated('failure', { onProblems: 'wait' }),
      24,
      { kind: 'answer', state: 'rejected', comment: `Rejected after 24h, still 2 problems: PROJ-12 is In Progress; 1 commit without a ticket\nReport: ${URL}` },
    ],
    [
      'evaluation error → wait, never approved',
      evaluated('error'),
      23,
      { kind: 'wait', reason: 'error', detail: 'the deploy could not be checked: JIRA answered HTTP 503' },
    ],
    [
      'evaluation error after maxWait → rejected with the reason',
      evaluated('error', { onProblems: 'wait' }),
      24,
      { kind: 'answer', state: 'rejected', comment: `Rejected after 24h: the deploy could not be checked: JIRA answered HTTP 503\nReport: ${URL}` },
    ],
  ])('%s', (_name, situation, hoursLater, expected) => {
    const now = new Date(Date.parse(REQUESTED) + hoursLater * HOUR);
    expect(decideProtection({ environment: 'production', situation, requestedAt: REQUESTED, now, reportUrl: URL })).toEqual(expected);
  });

  it('keeps every comment under 1,024 characters, the report link intact', () => {
    const many: Finding[] = Array.from({ length: 200 }, (_, i) => ({ rule: 'ticket-status', summary: `PROJ-${i} is In Progress`, fix: '' }));
    const decision = decideProtection({
      environment: 'production',
      situation: { kind: 'evaluated', settings: settings(), state: 'failure', findings: many, error: null },
      requestedAt: REQUESTED,
      now: new Date(REQUESTED),
      reportUrl: URL,
    });
    expect(decision.kind).toBe('answer');
    const comment = decision.kind === 'answer' ? decision.comment : '';
    expect(Array.from(comment).length).toBeLessThanOrEqual(PROTECTION_COMMENT_MAX);
    expect(comment.endsWith(`…\nReport: ${URL}`)).toBe(true);
    expect(protectionComment('short', null)).toBe('short');
  });
});
