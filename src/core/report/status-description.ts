/**
 * Commit status descriptions. GitHub rejects descriptions over 140 characters; every text here fits.
 */
import type { Finding } from '../domain.js';

export const STATUS_DESCRIPTION_MAX = 140;

/** Cuts to `max` characters (code points), ending with "…" when something was cut. */
export function truncateDescription(text: string, max = STATUS_DESCRIPTION_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Problem phrases, most important first; commits without a ticket are folded into one phrase. */
export function problemPhrases(findings: readonly Finding[]): string[] {
  const phrases: string[] = [];
  let untracked = 0;
  let untrackedAt = -1;
  for (const f of findings) {
    if (f.rule === 'commit-without-ticket') {
      untracked += 1;
      if (untrackedAt < 0) {
        untrackedAt = phrases.length;
        phrases.push('');
      }
    } else {
      phrases.push(f.summary);
    }
  }
  if (untrackedAt >= 0) phrases[untrackedAt] = `${plural(untracked, 'commit')} without a ticket`;
  return phrases;
}

/** Every problem in one line, untruncated: the report page's banner has the room the 140-character status lacks. */
export function problemSummary(findings: readonly Finding[]): string {
  return problemPhrases(findings).join('; ');
}

export function failureDescription(findings: readonly Finding[]): string {
  const head = `${plural(findings.length, 'problem')}: `;
  return truncateDescription(head + problemPhrases(findings).join('; '));
}

export function successDescription(ticketCount: number, commitCount: number): string {
  if (commitCount === 0) return 'Nothing to deploy: no commits ahead of production';
  const tickets = ticketCount === 0 ? 'no tickets' : `${plural(ticketCount, 'ticket')} ready`;
  return truncateDescription(`All clear: ${tickets}, ${plural(commitCount, 'commit')} checked`);
}

/** Success without ticket lookups (the CLI without JIRA settings): say so, never "ready". */
export function uncheckedTicketsDescription(ticketCount: number, commitCount: number): string {
  return truncateDescription(`No problems in ${plural(commitCount, 'commit')}; ${plural(ticketCount, 'ticket')} not checked (no JIRA settings)`);
}

export function pendingDescription(commitCount: number | null): string {
  return commitCount === null ? 'Checking deploy…' : `Checking ${plural(commitCount, 'commit')}…`;
}

export function errorDescription(reason: string): string {
  return truncateDescription(`Could not check: ${reason}`);
}
