/**
 * Identical problems grouped for presentation (pure): 204 commits without a ticket are ONE problem listing the
 * commits, with the most common subject prefixes suggested as `commits.exempt` patterns. The report's `findings`
 * stay one per commit or ticket (the status, the stored report and the report page use them as they are): this
 * is a view for the command-line formats.
 *
 * Two findings are the same problem when they have the same rule and the same fix once what names their own
 * commit or ticket is taken out of it: the ticket key, the short SHAs of the commits quoted, the commit subject
 * quoted as an example. A commit whose fix carries its own hint (a key of an unknown project: a typo?) stays a
 * problem of its own.
 */
import type { CommitInfo, DeployReport, Finding, RuleId } from '../domain.js';
import { commitSubject, shortSha } from '../rules/evaluate-deploy-rules.js';

/** How many items a grouped problem lists before "and N more". */
export const GROUP_LIST_FIRST = 10;
/** How many subject prefixes are suggested as commits.exempt patterns. */
export const EXEMPT_SUGGESTIONS_MAX = 3;

export interface ExemptSuggestion {
  /** The subject prefix as written: `MINOR:`, `[skip]`, `Bump `. */
  readonly prefix: string;
  /** An anchored regular expression for commits.exempt: `^MINOR:`. */
  readonly pattern: string;
  /** How many commits of the group start with it. */
  readonly count: number;
}

export interface FindingGroup {
  readonly rule: RuleId;
  /** The findings of the group, in report order; at least one. */
  readonly findings: readonly Finding[];
  /** A finding's own summary for a group of one, else e.g. "204 commits have no ticket". */
  readonly summary: string;
  readonly fix: string;
  /** For a group of several: what each finding is about (short SHAs, or ticket keys); empty for a group of one. */
  readonly items: readonly string[];
  readonly itemKind: 'commit' | 'ticket';
  /** For commits without a ticket: the most common subject prefixes, as commits.exempt patterns (most used first). */
  readonly exemptSuggestions: readonly ExemptSuggestion[];
}

const SHORT_SHA_LIST = /\b[0-9a-f]{7}(?:, [0-9a-f]{7})*\b/g;

/** The fix with what is particular to this finding's commit or ticket taken out. */
function sameProblemKey(f: Finding, commits: ReadonlyMap<string, CommitInfo>): string {
  let fix = f.fix;
  if (f.ticketKey) fix = fix.split(f.ticketKey).join('\u0000key');
  if (f.commitSha) {
    const subject = commitSubject(commits.get(f.commitSha)?.message ?? '').slice(0, 60);
    if (subject) fix = fix.replace(`: ${subject}"`, ': \u0000subject"');
  }
  fix = fix.replace(SHORT_SHA_LIST, '\u0000sha');
  return `${f.rule}\u0001${fix}`;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The prefix of a subject that looks like a marker: `[TAG]`, `TYPE:` / `type(scope):`, else its first word. */
export function subjectPrefix(subject: string): { prefix: string; pattern: string } | null {
  const tag = /^\[[^\]\s][^\]]{0,30}\]/.exec(subject);
  if (tag) return { prefix: tag[0], pattern: `^${escapeRegExp(tag[0])}` };
  const type = /^([A-Za-z][\w-]{0,30})(\([^)]*\))?!?:/.exec(subject);
  if (type) {
    return type[2] ? { prefix: `${type[1]}(…):`, pattern: `^${escapeRegExp(type[1]!)}\\(` } : { prefix: type[0], pattern: `^${escapeRegExp(type[0])}` };
  }
  const word = /^[A-Za-z][A-Za-z-]{1,20} /.exec(subject);
  if (word) return { prefix: word[0], pattern: `^${escapeRegExp(word[0])}` };
  return null;
}

/** The most common prefixes (used by two commits or more) of these commits' subjects. */
export function suggestExemptPatterns(subjects: readonly string[], max = EXEMPT_SUGGESTIONS_MAX): ExemptSuggestion[] {
  const counts = new Map<string, ExemptSuggestion>();
  for (const subject of subjects) {
    const p = subjectPrefix(subject);
    if (!p) continue;
    const seen = counts.get(p.pattern);
    counts.set(p.pattern, { ...p, count: (seen?.count ?? 0) + 1 });
  }
  // Map order is first-seen order, and the sort is stable: ties stay in the order of the range.
  return [...counts.values()]
    .filter((s) => s.count >= 2)
    .sort((a, b) => b.count - a.count)
    .slice(0, max);
}

const count = (n: number): string => n.toLocaleString('en-US');

function exemptSentence(suggestions: readonly ExemptSuggestion[]): string {
  if (suggestions.length === 0) return '';
  const listed = suggestions.map((s, i) => `"${s.prefix}" (${count(s.count)}${i === 0 ? ' commits' : ''})`).join(', ');
  return ` The most common subject prefixes here: ${listed}; if such commits need no ticket: commits.exempt: ${JSON.stringify(suggestions.map((s) => s.pattern))}.`;
}

function groupOf(findings: readonly Finding[], commits: ReadonlyMap<string, CommitInfo>): FindingGroup {
  const first = findings[0]!;
  const n = findings.length;
  const itemKind: FindingGroup['itemKind'] = first.commitSha && !first.ticketKey ? 'commit' : 'ticket';
  if (n === 1) return { rule: first.rule, findings, summary: first.summary, fix: first.fix, items: [], itemKind, exemptSuggestions: [] };
  const keys = findings.map((f) => f.ticketKey ?? (f.commitSha ? shortSha(f.commitSha) : ''));
  const eachTicket = (fix: string): string => (first.ticketKey ? fix.split(first.ticketKey).join('each ticket') : fix);
  const base = { rule: first.rule, findings, items: keys, itemKind, exemptSuggestions: [] as ExemptSuggestion[] };
  switch (first.rule) {
    case 'commit-without-ticket': {
      const subjects = findings.map((f) => commitSubject(commits.get(f.commitSha ?? '')?.message ?? ''));
      const exemptSuggestions = suggestExemptPatterns(subjects);
      return { ...base, summary: `${count(n)} commits have no ticket`, fix: `${first.fix}${exemptSentence(exemptSuggestions)}`, exemptSuggestions };
    }
    case 'unknown-ticket':
      return {
        ...base,
        summary: `${count(n)} tickets are unknown to JIRA`,
        fix: "JIRA has none of these tickets that the app can see. Check each key in the commits that reference it (listed under Tickets); it may be a typo, deleted, moved, or hidden from the app's JIRA user.",
      };
    case 'ticket-status':
      return {
        ...base,
        // "PROJ-1 is In Progress" → "PROJ-1 (In Progress)"
        items: findings.map((f, i) =>
          f.ticketKey && f.summary.startsWith(`${f.ticketKey} is `) ? `${f.ticketKey} (${f.summary.slice(f.ticketKey.length + 4)})` : keys[i]!,
        ),
        summary: `${count(n)} tickets are not in an allowed status`,
        fix: eachTicket(first.fix),
      };
    case 'risk-assessment':
      return { ...base, summary: `${count(n)} tickets have no risk assessment`, fix: eachTicket(first.fix) };
    case 'post-deploy-checks':
      return { ...base, summary: `${count(n)} tickets have no post-deploy checks`, fix: eachTicket(first.fix) };
    default:
      return { ...base, summary: `${first.summary} (${count(n)} times)`, fix: eachTicket(first.fix) };
  }
}

/** The report's findings grouped, in the order of their first finding. */
export function groupFindings(report: Pick<DeployReport, 'findings' | 'commits'>): FindingGroup[] {
  const commits = new Map(report.commits.map((c) => [c.sha, c]));
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = sameProblemKey(f, commits);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()].map((findings) => groupOf(findings, commits));
}

/** The first `first` items of a group and how many more there are. */
export function previewItems(items: readonly string[], first = GROUP_LIST_FIRST): { shown: readonly string[]; more: number } {
  return { shown: items.slice(0, first), more: Math.max(0, items.length - first) };
}
