/**
 * A DeployReport as plain text for a terminal or a CI log (pure). The verdict comes first, then the note that
 * ticket checks were skipped (when they were), then the problems, each with its fix (identical ones grouped:
 * group-findings.ts); then the
 * tickets with their commits, the commits without a ticket and the reverts. Commit messages and ticket summaries
 * are outside text: control and bidi-override characters are replaced so that they cannot move the cursor,
 * recolour the terminal or reorder what is shown.
 */
import type { CommitInfo, DeployReport } from '../domain.js';
import { commitSubject, shortSha } from '../rules/evaluate-deploy-rules.js';
import { groupFindings, previewItems } from './group-findings.js';

// C0 and C1 controls, DEL, and the Unicode bidi embedding/override/isolate characters.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Outside text as one safe line: controls become spaces, runs of white space one space. */
export function singleLine(text: string): string {
  return text.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The one-line verdict: PASS / FAIL / ERROR and why. */
export function reportHeadline(report: DeployReport): string {
  if (report.state === 'error') return `ERROR — could not check: ${singleLine(report.error ?? 'unknown error')}`;
  if (report.state === 'failure') return `FAIL — ${singleLine(report.statusDescription)}`;
  if (report.ticketChecksSkipped && report.commits.length > 0) {
    return `PASS — ${plural(report.tickets.length, 'ticket')} referenced in ${plural(report.commits.length, 'commit')}; ticket checks skipped`;
  }
  return `PASS — ${singleLine(report.statusDescription)}`;
}

/** "ahead by 5, behind by 0" with the compare status when it is not plain "ahead". */
export function compareSummary(report: DeployReport): string {
  const c = report.compare;
  if (!c) return 'not compared';
  const counts = `${plural(c.aheadBy, 'commit')} ahead, ${c.behindBy.toLocaleString('en-US')} behind`;
  return c.status === 'ahead' ? counts : `${counts} (${c.status})`;
}

export const TICKET_CHECKS_SKIPPED_NOTE =
  'Ticket checks skipped: no JIRA settings (JIRA_BASE_URL with JIRA_EMAIL + JIRA_API_TOKEN, or JIRA_PAT); keys were found in commit messages but not looked up in JIRA.';

/** "205" when every problem is shown on its own, "205 in 3 groups" when identical ones were grouped. */
export function problemCount(findings: number, groups: number): string {
  return findings === groups ? findings.toLocaleString('en-US') : `${findings.toLocaleString('en-US')} in ${plural(groups, 'group')}`;
}

/** "a, b, c" or "a, b, … and 194 more": the first items of a grouped problem. */
export function itemList(items: readonly string[]): string {
  const { shown, more } = previewItems(items);
  return more > 0 ? `${shown.join(', ')} and ${more.toLocaleString('en-US')} more` : shown.join(', ');
}

function commitLine(sha: string, commits: ReadonlyMap<string, CommitInfo>): string {
  const commit = commits.get(sha);
  return `${shortSha(sha)} ${commit ? singleLine(commitSubject(commit.message)) : ''}`.trimEnd();
}

export function formatReportText(report: DeployReport): string {
  const commits = new Map(report.commits.map((c) => [c.sha, c]));
  const out: string[] = [];
  const repo = singleLine(report.repo.owner ? `${report.repo.owner}/${report.repo.repo}` : report.repo.repo);
  out.push(`deploy-checker: ${reportHeadline(report)}`);
  // First, before any detail: without it a PASS, or an empty ticket, reads as more than it is.
  if (report.state !== 'error' && report.ticketChecksSkipped) out.push(TICKET_CHECKS_SKIPPED_NOTE);
  out.push(`Repository: ${repo}`);
  out.push(
    `Range:      ${singleLine(report.baseBranch)} (${report.baseSha === null ? '?' : shortSha(report.baseSha)}) .. ${singleLine(report.headBranch)} (${shortSha(report.headSha)}): ${compareSummary(report)}`,
  );

  if (report.findings.length > 0) {
    const groups = groupFindings(report);
    out.push('', `Problems (${problemCount(report.findings.length, groups.length)})`);
    groups.forEach((g, i) => {
      const n = `${i + 1}.`;
      out.push(`  ${n} ${singleLine(g.summary)}${g.items.length ? `: ${itemList(g.items.map(singleLine))}` : ''}`);
      out.push(`  ${' '.repeat(n.length)} Fix: ${singleLine(g.fix)}`);
    });
  }

  if (report.tickets.length > 0) {
    out.push('', `Tickets (${report.tickets.length})`);
    const width = report.tickets.reduce((w, t) => Math.max(w, t.key.length), 0);
    const indent = ' '.repeat(width + 4);
    for (const entry of report.tickets) {
      const t = entry.ticket;
      const about = t
        ? `[${singleLine(t.status ?? 'no status')}] ${singleLine(t.summary)}`
        : report.ticketChecksSkipped
          ? '(not looked up)'
          : '(unknown to JIRA)';
      out.push(`  ${entry.key.padEnd(width)}  ${about}`.trimEnd());
      if (t) out.push(`${indent}${singleLine(t.url)}`);
      for (const sha of entry.commitShas) out.push(`${indent}${commitLine(sha, commits)}`);
    }
  }

  const needed = report.commitsWithoutTicket.filter((c) => c.exemptReason === null);
  const exempt = report.commitsWithoutTicket.filter((c) => c.exemptReason !== null);
  if (needed.length > 0) {
    out.push('', `Commits without a ticket (${needed.length})`);
    for (const c of needed) out.push(`  ${commitLine(c.sha, commits)}`);
  }
  if (exempt.length > 0) {
    out.push('', `Exempt commits without a ticket (${exempt.length})`);
    for (const c of exempt) out.push(`  ${commitLine(c.sha, commits)}  [${singleLine(c.exemptReason ?? '')}]`);
  }

  if (report.reverted.length > 0) {
    out.push('', `Reverted (${report.reverted.length}): tickets whose change this deploy takes out`);
    for (const r of report.reverted) {
      out.push(`  ${r.key}`);
      for (const sha of r.commitShas) out.push(`    ${commitLine(sha, commits)}`);
    }
  }

  if (report.state !== 'error' && report.commits.length === 0) out.push('', 'Nothing to deploy: no commits ahead of production.');
  return `${out.join('\n')}\n`;
}
