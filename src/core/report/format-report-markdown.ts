/**
 * A DeployReport as GitHub-flavoured Markdown, to paste into a pull request or a release note (pure).
 * Problems are a checklist, tickets a table linking to JIRA. Every piece of outside text (commit messages,
 * ticket summaries, branch names, fixes that quote them) goes through `escapeMarkdownText`: Markdown
 * punctuation is backslash-escaped, `&`, `<` and `>` become entities (no raw HTML), and `@name` gets a
 * zero-width space so that pasting a report pings nobody. User text never starts a line, so line-leading
 * syntax (headings, lists, quotes) cannot be forged.
 */
import type { CommitInfo, DeployReport } from '../domain.js';
import { commitSubject, shortSha } from '../rules/evaluate-deploy-rules.js';
import { compareSummary, reportHeadline, singleLine, TICKET_CHECKS_SKIPPED_NOTE } from './format-report-text.js';

/** Lists longer than this fold into a <details> block. */
export const MARKDOWN_FOLD_AFTER = 10;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Outside text as inert inline Markdown on one line (safe inside a table cell too). */
export function escapeMarkdownText(text: string): string {
  return singleLine(text)
    .replace(/[&<>]/g, (ch) => ENTITIES[ch]!)
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b');
}

/** A code span holding `text` verbatim, whatever backticks it contains (not for table cells). */
export function markdownCode(text: string): string {
  const line = singleLine(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** An http(s) URL fit for a Markdown link destination, or null. */
function linkTarget(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  } catch {
    return null;
  }
}

const sha = (s: string): string => `\`${shortSha(s)}\``;

function subjectOf(s: string, commits: ReadonlyMap<string, CommitInfo>): string {
  const commit = commits.get(s);
  return commit ? escapeMarkdownText(commitSubject(commit.message)) : '';
}

function folded(summary: string, lines: readonly string[]): string[] {
  if (lines.length <= MARKDOWN_FOLD_AFTER) return [...lines];
  return [`<details><summary>${summary}</summary>`, '', ...lines, '', '</details>'];
}

export function formatReportMarkdown(report: DeployReport): string {
  const commits = new Map(report.commits.map((c) => [c.sha, c]));
  const icon = report.state === 'success' ? '✅' : report.state === 'failure' ? '❌' : '⚠️';
  const repo = report.repo.owner ? `${report.repo.owner}/${report.repo.repo}` : report.repo.repo;
  const out: string[] = [];
  out.push(`### ${icon} Deploy check: ${escapeMarkdownText(reportHeadline(report))}`, '');
  if (report.state !== 'error' && report.ticketChecksSkipped) out.push(`> ${escapeMarkdownText(TICKET_CHECKS_SKIPPED_NOTE)}`, '');
  out.push(
    `**${escapeMarkdownText(repo)}**: ${markdownCode(report.productionBranch)} (${sha(report.productionSha)}) → ${markdownCode(report.deployBranch)} (${sha(report.deploySha)}), ${escapeMarkdownText(compareSummary(report))}`,
  );

  if (report.findings.length > 0) {
    out.push('', `#### Problems (${report.findings.length})`, '');
    for (const f of report.findings) out.push(`- [ ] **${escapeMarkdownText(f.summary)}**: ${escapeMarkdownText(f.fix)}`);
  }

  if (report.tickets.length > 0) {
    out.push('', `#### Tickets (${report.tickets.length})`, '');
    out.push('| Ticket | Summary | Type | Status | Commits |', '| --- | --- | --- | --- | --- |');
    for (const entry of report.tickets) {
      const t = entry.ticket;
      const target = t ? linkTarget(t.url) : null;
      const key = escapeMarkdownText(entry.key);
      const summary = t ? escapeMarkdownText(t.summary) : report.ticketChecksSkipped ? '_not looked up_' : '_unknown to JIRA_';
      const cells = [
        target ? `[${key}](${target})` : key,
        summary,
        t ? escapeMarkdownText(t.type ?? '') : '',
        t ? escapeMarkdownText(t.status ?? '') : '',
        entry.commitShas.map(sha).join(' '),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
  }

  const needed = report.commitsWithoutTicket.filter((c) => c.exemptReason === null);
  const exempt = report.commitsWithoutTicket.filter((c) => c.exemptReason !== null);
  if (needed.length > 0) {
    out.push('', `#### Commits without a ticket (${needed.length})`, '');
    out.push(...folded(`${needed.length} commits`, needed.map((c) => `- ${sha(c.sha)} ${subjectOf(c.sha, commits)}`.trimEnd())));
  }
  if (exempt.length > 0) {
    out.push('', `#### Exempt commits without a ticket (${exempt.length})`, '');
    out.push(
      ...folded(
        `${exempt.length} commits`,
        exempt.map((c) => `- ${sha(c.sha)} ${subjectOf(c.sha, commits)} _(${escapeMarkdownText(c.exemptReason ?? '')})_`),
      ),
    );
  }

  if (report.reverted.length > 0) {
    out.push('', `#### Reverted (${report.reverted.length})`, '');
    for (const r of report.reverted) {
      out.push(`- **${escapeMarkdownText(r.key)}** taken out by ${r.commitShas.map((s) => `${sha(s)} ${subjectOf(s, commits)}`.trimEnd()).join('; ')}`);
    }
  }

  return `${out.join('\n')}\n`;
}
