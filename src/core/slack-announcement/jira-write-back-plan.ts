/**
 * Pure parts of the JIRA write-back: the deploy comment's text and the choice of transition.
 */
import type { DeployAnnouncementInput } from './deploy-announcement-input.js';
import type { JiraTransition } from './jira-writer.js';
import { singleLine } from './slack-mrkdwn.js';

/** Config `jira.onDeploy`. */
export interface JiraOnDeploySettings {
  readonly comment: boolean;
  /** Transition name or target status name; null: no transition. */
  readonly transition: string | null;
}

/** Something the write-back could not do, for the report page. Never a reason to fail the announcement. */
export interface WriteBackNote {
  readonly key: string;
  readonly action: 'comment' | 'transition';
  readonly message: string;
}

/** Plain-text comment for one deployed (or rolled back) ticket. */
export function buildDeployComment(input: DeployAnnouncementInput): string {
  const repo = `${input.repo.owner}/${input.repo.repo}`;
  const who = input.deployedBy ? ` by ${singleLine(input.deployedBy)}` : '';
  const first = input.rollback
    ? `Rolled back: no longer in production of ${repo} since ${input.deployedAt}${who} (production moved back to ${input.toSha}).`
    : `Deployed to production of ${repo} at ${input.deployedAt}${who}: commit ${input.toSha}.`;
  const lines = [first];
  if (input.reportUrl) lines.push(`Deploy report: ${input.reportUrl}`);
  if (input.compareUrl) lines.push(`Changes: ${input.compareUrl}`);
  return lines.join('\n\n');
}

function same(a: string | null, b: string): boolean {
  return a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The transition named `wanted`, else the one leading to a status named `wanted` (case-insensitive); or null. */
export function pickTransition(transitions: readonly JiraTransition[], wanted: string): JiraTransition | null {
  return transitions.find((t) => same(t.name, wanted)) ?? transitions.find((t) => same(t.toStatus, wanted)) ?? null;
}

export function describeNoTransition(wanted: string, status: string | null, transitions: readonly JiraTransition[]): string {
  const from = status ? ` from status "${status}"` : '';
  const available =
    transitions.length === 0 ? 'none is available' : `available: ${transitions.map((t) => (t.toStatus ? `${t.name} → ${t.toStatus}` : t.name)).join(', ')}`;
  return `no transition "${wanted}"${from} (${available})`;
}
