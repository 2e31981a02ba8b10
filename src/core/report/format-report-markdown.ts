/**
 * A DeployReport as GitHub-flavoured Markdown, to paste into a pull request or a release note (pure).
 * Problems are a checklist (identical ones grouped: group-findings.ts), tickets a table linking to JIRA. Every piece of outside text (commit messages,
 * ticket summaries, branch names, fixes that quote them) goes through `escapeMarkdownText`: Markdown
 * punctuation is backslash-escaped, `&`, `<` and `>` become entities (no raw HTML), and `@name` gets a
 * zero-width space so that pasting a report pings nobody. User text never starts a line, so line-leading
 * syntax (headings, lists, quotes) cannot be forged.
 */
import type { CommitInfo, DeployReport, RichDoc } from '../domain.js';
import { commitSubject, shortSha } from '../rules/evaluate-deploy-rules.js';
import { compareSummary, itemList, problemCount, reportHeadline, singleLine, TICKET_CHECKS_SKIPPED_NOTE } from './format-report-text.js';
import { groupFindings, previewItems } from './group-findings.js';
import { richDocText } from '../jira-fields/rich-text.js';

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

/** GitHub's limit on a comment, an issue or pull-request body: 65,536 characters. */
export const GITHUB_COMMENT_MAX = 65_536;
/** What formatReportMarkdown stays within by default, in UTF-8 bytes: under GitHub's limit however it counts, with room for a line or two of the caller's own. */
export const MARKDOWN_MAX_BYTES = 64_000;
/** Commit subjects and ticket summaries longer than this are cut (with "…"). */
const TEXT_MAX_CHARS = 200;

/** The length of `text` in UTF-8 bytes (at least its length in characters, however counted). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
}

function clip(text: string, max = TEXT_MAX_CHARS): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function subjectOf(s: string, commits: ReadonlyMap<string, CommitInfo>): string {
  const commit = commits.get(s);
  return commit ? escapeMarkdownText(clip(singleLine(commitSubject(commit.message)))) : '';
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The SHAs of a ticket's commits for its table row: the first few, then "and N more". */
function commitCell(shas: readonly string[]): string {
  const { shown, more } = previewItems(shas);
  return `${shown.map(sha).join(' ')}${more ? ` and ${count(more)} more` : ''}`;
}

/** A list section: its heading, the lines before the items (a table head), the items, and how to fold them. */
interface Section {
  readonly heading: string;
  readonly head: readonly string[];
  readonly items: readonly string[];
  /** `<details>` summary when the items are folded past MARKDOWN_FOLD_AFTER; null for a table or a checklist. */
  readonly fold: string | null;
  /** What an item is, for "… and N more <noun>". */
  readonly noun: string;
}

/** The section's lines with `shown` as its items (`shownCount` of them: the items may be left out to measure the rest). */
function renderSection(section: Section, shown: readonly string[], shownCount: number, fullListHint: string): string[] {
  const more = section.items.length - shownCount;
  const lines = [...section.head, ...shown];
  if (more > 0) lines.push('', `_… and ${count(more)} more ${section.noun}: ${fullListHint}._`);
  const body =
    section.fold !== null && shownCount > MARKDOWN_FOLD_AFTER ? [`<details><summary>${section.fold}</summary>`, '', ...lines, '', '</details>'] : lines;
  return ['', section.heading, '', ...body];
}

/** Bytes of lines joined by "\n", plus one "\n" each: what they add to the output. */
const linesBytes = (lines: readonly string[]): number => lines.reduce((n, line) => n + utf8Length(line) + 1, 0);

export interface MarkdownOptions {
  /** At most this many UTF-8 bytes (default MARKDOWN_MAX_BYTES): long lists are cut, each with "… and N more". */
  readonly maxBytes?: number;
  /**
   * The ticket table's columns: `summary` (default: summary, type, status, commits) or `risk` (status, risk level,
   * risk assessment, post-deploy checks: what a reviewer of the deploy reads, as in a check run).
   */
  readonly ticketColumns?: 'summary' | 'risk';
  /** Where "… and N more" sends the reader for the full list (default: `--format json`, for the CLI). */
  readonly fullListHint?: string;
}

/** A ticket's rich-text field as one escaped, clipped table cell ("—" when empty). */
function richCell(doc: RichDoc): string {
  const text = richDocText(doc);
  return text.trim() ? escapeMarkdownText(clip(singleLine(text))) : '—';
}

export function formatReportMarkdown(report: DeployReport, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? MARKDOWN_MAX_BYTES;
  const fullListHint = options.fullListHint ?? 'the full list is in `--format json`';
  const riskColumns = options.ticketColumns === 'risk';
  const commits = new Map(report.commits.map((c) => [c.sha, c]));
  const icon = report.state === 'success' ? '✅' : report.state === 'failure' ? '❌' : '⚠️';
  const repo = report.repo.owner ? `${report.repo.owner}/${report.repo.repo}` : report.repo.repo;
  const top: string[] = [];
  top.push(`### ${icon} Deploy check: ${escapeMarkdownText(reportHeadline(report))}`, '');
  if (report.state !== 'error' && report.ticketChecksSkipped) top.push(`> ${escapeMarkdownText(TICKET_CHECKS_SKIPPED_NOTE)}`, '');
  top.push(
    `**${escapeMarkdownText(clip(repo))}**: ${markdownCode(clip(report.baseBranch))} (${report.baseSha === null ? 'unknown' : sha(report.baseSha)}) → ${markdownCode(clip(report.headBranch))} (${sha(report.headSha)}), ${escapeMarkdownText(compareSummary(report))}`,
  );

  const sections: Section[] = [];
  if (report.findings.length > 0) {
    const groups = groupFindings(report);
    sections.push({
      heading: `#### Problems (${problemCount(report.findings.length, groups.length)})`,
      head: [],
      items: groups.map((g) => {
        // Commit items are short SHAs (hex): a code span each, like every SHA here.
        const items = g.items.map((item) => (g.itemKind === 'commit' ? `\`${item}\`` : escapeMarkdownText(item)));
        return `- [ ] **${escapeMarkdownText(g.summary)}**${items.length ? ` (${itemList(items)})` : ''}: ${escapeMarkdownText(clip(g.fix, 1000))}`;
      }),
      fold: null,
      noun: 'problems',
    });
  }

  if (report.tickets.length > 0) {
    sections.push({
      heading: `#### Tickets (${count(report.tickets.length)})`,
      head: riskColumns
        ? ['| Ticket | Status | Risk level | Risk assessment | Post-deploy checks |', '| --- | --- | --- | --- | --- |']
        : ['| Ticket | Summary | Type | Status | Commits |', '| --- | --- | --- | --- | --- |'],
      items: report.tickets.map((entry) => {
        const t = entry.ticket;
        const target = t ? linkTarget(t.url) : null;
        const key = escapeMarkdownText(entry.key);
        const summary = t ? escapeMarkdownText(clip(t.summary)) : report.ticketChecksSkipped ? '_not looked up_' : '_unknown to JIRA_';
        const link = target ? `[${key}](${target})` : key;
        if (riskColumns) {
          const cells = t
            ? [
                link,
                escapeMarkdownText(clip(t.status ?? '')),
                escapeMarkdownText(clip(t.riskLevel ?? '')) || '—',
                richCell(t.riskAssessment),
                richCell(t.postDeployChecks),
              ]
            : [link, summary, '', '', ''];
          return `| ${cells.join(' | ')} |`;
        }
        const cells = [
          link,
          summary,
          t ? escapeMarkdownText(clip(t.type ?? '')) : '',
          t ? escapeMarkdownText(clip(t.status ?? '')) : '',
          commitCell(entry.commitShas),
        ];
        return `| ${cells.join(' | ')} |`;
      }),
      fold: null,
      noun: 'tickets',
    });
  }

  const needed = report.commitsWithoutTicket.filter((c) => c.exemptReason === null);
  const exempt = report.commitsWithoutTicket.filter((c) => c.exemptReason !== null);
  if (needed.length > 0) {
    sections.push({
      heading: `#### Commits without a ticket (${count(needed.length)})`,
      head: [],
      items: needed.map((c) => `- ${sha(c.sha)} ${subjectOf(c.sha, commits)}`.trimEnd()),
      fold: `${count(needed.length)} commits`,
      noun: 'commits',
    });
  }
  if (exempt.length > 0) {
    sections.push({
      heading: `#### Exempt commits without a ticket (${count(exempt.length)})`,
      head: [],
      items: exempt.map((c) => `- ${sha(c.sha)} ${subjectOf(c.sha, commits)} _(${escapeMarkdownText(clip(c.exemptReason ?? ''))})_`),
      fold: `${count(exempt.length)} commits`,
      noun: 'commits',
    });
  }

  if (report.reverted.length > 0) {
    sections.push({
      heading: `#### Reverted (${count(report.reverted.length)})`,
      head: [],
      items: report.reverted.map((r) => {
        const { shown, more } = previewItems(r.commitShas);
        const by = shown.map((s) => `${sha(s)} ${subjectOf(s, commits)}`.trimEnd()).join('; ');
        return `- **${escapeMarkdownText(r.key)}** taken out by ${by}${more ? ` and ${count(more)} more` : ''}`;
      }),
      fold: null,
      noun: 'reverted tickets',
    });
  }

  // Sizes are computed from each item's length, not by rendering: a 5,000-item list is measured once.
  const itemBytes = sections.map((section) => {
    const prefix = [0];
    for (const item of section.items) prefix.push(prefix.at(-1)! + utf8Length(item) + 1);
    return prefix;
  });
  const topBytes = linesBytes(top);
  const size = (cap: number): number =>
    sections.reduce((n, section, i) => {
      const shownCount = Math.min(cap, section.items.length);
      return n + linesBytes(renderSection(section, [], shownCount, fullListHint)) + itemBytes[i]![shownCount]!;
    }, topBytes);
  const render = (cap: number): string =>
    `${[...top, ...sections.flatMap((section) => renderSection(section, section.items.slice(0, cap), Math.min(cap, section.items.length), fullListHint))].join('\n')}\n`;

  const longest = Math.max(0, ...sections.map((section) => section.items.length));
  // The largest number of items per list that fits (every list cut at the same length: none starves the others).
  let fits = 0;
  if (size(longest) <= maxBytes) fits = longest;
  else {
    let over = longest;
    while (over - fits > 1) {
      const mid = Math.floor((fits + over) / 2);
      if (size(mid) <= maxBytes) fits = mid;
      else over = mid;
    }
  }
  const text = render(fits);
  if (utf8Length(text) <= maxBytes) return text;
  // Even without list items it is too long (a budget far below any report): cut the text itself.
  const note = `\n\n_… cut to fit: ${fullListHint.replace('the full list', 'the full report')}._\n`;
  let cut = text.slice(0, Math.max(0, maxBytes - utf8Length(note)));
  while (cut && utf8Length(cut) + utf8Length(note) > maxBytes) cut = cut.slice(0, -1);
  return `${cut}${note}`;
}
