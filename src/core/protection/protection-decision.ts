/**
 * What deploy-checker answers a deployment protection rule with, given what it knows now. Pure: the app feeds it
 * the environment's settings, the evaluation (or why there is none) and the clock; it answers approve, reject or
 * wait, with the comment GitHub shows on the deployment.
 *
 * - environment not configured → approved ("not gated": a team that did not opt in is never blocked);
 * - config invalid → wait (retried), rejected with the config error after the default maxWait — never approved;
 * - evaluation could not complete (JIRA or GitHub down: report state 'error') → wait, rejected after maxWait;
 * - problems → rejected naming them (onProblems: reject), or wait until clean, rejected after maxWait (wait);
 * - clean and no approvers → approved; clean with approvers → waits for a human decision (rejected after maxWait).
 */
import type { Finding, ReportState } from '../domain.js';
import { problemSummary } from '../report/status-description.js';

/** GitHub's limit on a protection rule review comment is 1,024 characters; stay below it. */
export const PROTECTION_COMMENT_MAX = 1000;

export type ProtectionWaitReason = 'problems' | 'approval' | 'error' | 'config';

export interface ProtectionEnvironmentSettings {
  readonly onProblems: 'reject' | 'wait';
  readonly maxWaitMs: number;
  readonly approvers: readonly string[];
}

export type ProtectionSituation =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'config-invalid' /** Names the file and the key. */; readonly error: string; readonly maxWaitMs: number }
  | {
      readonly kind: 'evaluated';
      readonly settings: ProtectionEnvironmentSettings;
      readonly state: ReportState;
      readonly findings: readonly Finding[];
      /** Why the evaluation could not complete (state 'error'). */
      readonly error: string | null;
    };

export interface ProtectionDecisionInput {
  readonly environment: string;
  readonly situation: ProtectionSituation;
  /** When the deployment asked (ISO 8601): maxWait counts from here. */
  readonly requestedAt: string;
  readonly now: Date;
  /** The report page of the evaluation, when there is one and PUBLIC_URL is set. */
  readonly reportUrl: string | null;
}

export type ProtectionDecision =
  | { readonly kind: 'answer'; readonly state: 'approved' | 'rejected'; readonly comment: string }
  | { readonly kind: 'wait'; readonly reason: ProtectionWaitReason; readonly detail: string };

/** Cuts to the comment limit (code points), ending with "…" when something was cut. */
export function protectionComment(text: string, reportUrl: string | null): string {
  const link = reportUrl ? `\nReport: ${reportUrl}` : '';
  const room = PROTECTION_COMMENT_MAX - Array.from(link).length;
  const chars = Array.from(text.trim());
  const body = chars.length <= room ? chars.join('') : `${chars.slice(0, Math.max(0, room - 1)).join('')}…`;
  return body + link;
}

const formatWait = (ms: number): string =>
  ms % 86_400_000 === 0 && ms >= 172_800_000 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`;

export function decideProtection(input: ProtectionDecisionInput): ProtectionDecision {
  const { situation, reportUrl } = input;
  const answer = (state: 'approved' | 'rejected', text: string, withLink = true): ProtectionDecision => ({
    kind: 'answer',
    state,
    comment: protectionComment(text, withLink ? reportUrl : null),
  });
  const expired = (maxWaitMs: number) => input.now.getTime() - Date.parse(input.requestedAt) >= maxWaitMs;

  if (situation.kind === 'not-configured') {
    return answer(
      'approved',
      `Environment "${input.environment}" is not gated by deploy-checker (not listed under environments in .github/deploy-checker.yml).`,
      false,
    );
  }
  if (situation.kind === 'config-invalid') {
    // The loader's error names the file and the key ("invalid .github/deploy-checker.yml: rules.x: …").
    const detail = situation.error;
    if (expired(situation.maxWaitMs)) return answer('rejected', `Rejected after ${formatWait(situation.maxWaitMs)}: ${detail}`, false);
    return { kind: 'wait', reason: 'config', detail };
  }

  const { settings } = situation;
  const afterWait = `after ${formatWait(settings.maxWaitMs)}`;
  if (situation.state === 'error') {
    const detail = `the deploy could not be checked: ${situation.error ?? 'unknown error'}`;
    if (expired(settings.maxWaitMs)) return answer('rejected', `Rejected ${afterWait}: ${detail}`);
    return { kind: 'wait', reason: 'error', detail };
  }
  if (situation.state === 'failure') {
    const problems = problemSummary(situation.findings);
    const count = situation.findings.length;
    const detail = `${count} ${count === 1 ? 'problem' : 'problems'}: ${problems}`;
    if (settings.onProblems === 'reject') return answer('rejected', `Rejected: ${detail}`);
    if (expired(settings.maxWaitMs)) return answer('rejected', `Rejected ${afterWait}, still ${detail}`);
    return { kind: 'wait', reason: 'problems', detail };
  }
  if (settings.approvers.length > 0) {
    const detail = 'clean; waiting for an approver in Slack';
    if (expired(settings.maxWaitMs)) return answer('rejected', `Rejected ${afterWait}: no approver decided`);
    return { kind: 'wait', reason: 'approval', detail };
  }
  return answer('approved', 'Approved by deploy-checker: no problems found.');
}
