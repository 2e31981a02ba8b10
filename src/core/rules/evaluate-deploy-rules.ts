/**
 * The deploy rules. Pure: given the compared range, the config and the tickets JIRA returned, produce findings.
 * Each rule can be turned off in `rules.*`; each finding says what is wrong (`summary`) and how to fix it (`fix`).
 */
import type { CommitInfo, DeployRange, Finding, RuleId, TicketSnapshot } from '../domain.js';
import type { RepoConfig } from '../config/repo-config-schema.js';
import type { CommitKeyRefs, DeployKeySummary, KeyMatcher } from '../jira-keys/extract-jira-keys.js';
import { findKeyLikeTokens, scannedMessage } from '../jira-keys/extract-jira-keys.js';
import { runSteps, runStepsYielding, type Steps, type YieldingOptions } from '../cooperative-steps.js';
import { isFilled } from '../jira-fields/rich-text.js';
import { compileSubjectPatterns } from '../config/subject-patterns.js';

export const shortSha = (sha: string): string => sha.slice(0, 7);
/** The first line of a message, read within its first MAX_SCANNED_MESSAGE_LENGTH characters. */
export function commitSubject(message: string): string {
  const scanned = scannedMessage(message);
  const end = scanned.indexOf('\n');
  const line = end < 0 ? scanned : scanned.slice(0, end);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** `commits.*` compiled once per evaluation: why a commit needs no ticket, or null when it needs one. */
export interface CommitExemptions {
  reason(commit: CommitInfo): string | null;
}

export function compileCommitExemptions(commits: RepoConfig['commits']): CommitExemptions {
  const authors = new Set(commits.exemptAuthors.map((a) => a.toLowerCase()));
  const patterns = compileSubjectPatterns(commits.exempt);
  return {
    reason(commit) {
      if (commit.parents.length > 1) return 'merge commit';
      const login = commit.authorLogin;
      if (login && authors.has(login.toLowerCase())) return `author ${login} is exempt`;
      const pattern = patterns.firstMatch(commitSubject(commit.message));
      return pattern === null ? null : `subject matches ${pattern}`;
    },
  };
}

/** Why a commit needs no ticket, or null when it needs one. Compiles the patterns: for one-off use only. */
export function commitExemptReason(commit: CommitInfo, config: RepoConfig): string | null {
  return compileCommitExemptions(config.commits).reason(commit);
}

export interface CommitWithoutTicket {
  readonly sha: string;
  readonly exemptReason: string | null;
}

export function commitsWithoutTicket(commits: readonly CommitInfo[], byCommit: ReadonlyMap<string, CommitKeyRefs>, config: RepoConfig): CommitWithoutTicket[] {
  return runSteps(commitsWithoutTicketSteps(commits, byCommit, config));
}

/** commitsWithoutTicket in slices that give the event loop back (see cooperative-steps.ts). */
export function commitsWithoutTicketYielding(
  commits: readonly CommitInfo[],
  byCommit: ReadonlyMap<string, CommitKeyRefs>,
  config: RepoConfig,
  options?: YieldingOptions,
): Promise<CommitWithoutTicket[]> {
  return runStepsYielding(commitsWithoutTicketSteps(commits, byCommit, config), options);
}

/** One step per commit without a ticket (the exempt patterns run on its subject). */
export function* commitsWithoutTicketSteps(
  commits: readonly CommitInfo[],
  byCommit: ReadonlyMap<string, CommitKeyRefs>,
  config: RepoConfig,
): Steps<CommitWithoutTicket[]> {
  const exemptions = compileCommitExemptions(config.commits);
  const out: CommitWithoutTicket[] = [];
  for (const c of commits) {
    const refs = byCommit.get(c.sha);
    if (refs && (refs.ships.length > 0 || refs.reverts.length > 0)) continue;
    out.push({ sha: c.sha, exemptReason: exemptions.reason(c) });
    yield;
  }
  return out;
}

const RULE_ORDER: readonly RuleId[] = ['branch-behind', 'ticket-status', 'unknown-ticket', 'risk-assessment', 'post-deploy-checks', 'commit-without-ticket'];

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RULE_ORDER.indexOf(a.f.rule) - RULE_ORDER.indexOf(b.f.rule) || a.i - b.i)
    .map(({ f }) => f);
}

export function branchBehindFinding(range: Pick<DeployRange, 'status' | 'behindBy' | 'headBranch' | 'baseBranch'>): Finding | null {
  if ((range.status !== 'behind' && range.status !== 'diverged') || range.behindBy <= 0) return null;
  const n = range.behindBy;
  return {
    rule: 'branch-behind',
    summary: `deploying this would roll back ${n} commit${n === 1 ? '' : 's'} of production`,
    fix: `${range.headBranch} ${range.status === 'behind' ? 'is behind' : 'has diverged from'} ${range.baseBranch}${range.status === 'diverged' ? ' and is behind it' : ''} by ${n} commit${n === 1 ? '' : 's'}: merge ${range.baseBranch} into ${range.headBranch} (git merge origin/${range.baseBranch}) and push again.`,
  };
}

export function commitWithoutTicketFindings(
  commits: readonly CommitInfo[],
  without: readonly CommitWithoutTicket[],
  config: RepoConfig,
  matcher: KeyMatcher,
): Finding[] {
  return runSteps(commitWithoutTicketFindingsSteps(commits, without, config, matcher));
}

/** One step per commit that needs a ticket (its message is searched for look-alike keys). */
function* commitWithoutTicketFindingsSteps(
  commits: readonly CommitInfo[],
  without: readonly CommitWithoutTicket[],
  _config: RepoConfig,
  matcher: KeyMatcher,
): Steps<Finding[]> {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const projects = [...matcher.projects];
  const example = `${projects[0] ?? 'PROJ'}-123`;
  const out: Finding[] = [];
  for (const c of without) {
    if (c.exemptReason !== null) continue;
    out.push(finding(c));
    yield;
  }
  return out;

  function finding(c: CommitWithoutTicket): Finding {
    const commit = bySha.get(c.sha);
    const lookalikes = commit ? findKeyLikeTokens(scannedMessage(commit.message), matcher) : [];
    const hint = lookalikes.length
      ? ` It mentions ${lookalikes.slice(0, 3).join(', ')}, which ${lookalikes.length === 1 ? 'is not a key' : 'are not keys'} of a configured project (${projects.join(', ') || 'none'}): a typo?`
      : '';
    return {
      rule: 'commit-without-ticket' as const,
      summary: `commit ${shortSha(c.sha)} has no ticket`,
      fix: `Reference a ticket in the commit message (e.g. "${example}: ${commitSubject(commit?.message ?? '').slice(0, 60)}"), or exempt such commits with commits.exempt in .github/deploy-checker.yml.${hint}`,
      commitSha: c.sha,
    };
  }
}

export interface TicketRuleOptions {
  /** Whether to judge the ticket's workflow status (the pull-request check does not). */
  readonly checkStatus: boolean;
}

export function ticketFindings(
  keys: readonly string[],
  tickets: ReadonlyMap<string, TicketSnapshot>,
  shasByKey: ReadonlyMap<string, readonly string[]>,
  config: RepoConfig,
  options: TicketRuleOptions,
): Finding[] {
  const out: Finding[] = [];
  const allowed = config.jira.allowedStatuses;
  const allowedLower = new Set(allowed.map((s) => s.toLowerCase()));
  for (const key of keys) {
    const ticket = tickets.get(key);
    if (!ticket) {
      if (config.rules.unknownTicket) {
        const shas = (shasByKey.get(key) ?? []).map(shortSha);
        out.push({
          rule: 'unknown-ticket',
          summary: `${key} is unknown to JIRA`,
          fix: `JIRA has no ticket ${key} that the app can see. Check the key in ${shas.length ? `commit ${shas.slice(0, 3).join(', ')}` : 'the title or branch'}; it may be a typo, deleted, moved, or hidden from the app's JIRA user.`,
          ticketKey: key,
        });
      }
      continue;
    }
    if (options.checkStatus && config.rules.ticketStatus && !allowedLower.has((ticket.status ?? '').toLowerCase())) {
      out.push({
        rule: 'ticket-status',
        summary: `${key} is ${ticket.status ?? 'without status'}`,
        fix: `Move ${key} to ${allowed.map((s) => `"${s}"`).join(' or ')} in JIRA once it is ready to ship, or take its commits out of the deploy.`,
        ticketKey: key,
      });
    }
    if (config.rules.riskAssessment && !isFilled(ticket.riskAssessment)) {
      out.push({
        rule: 'risk-assessment',
        summary: `${key} has no risk assessment`,
        fix: `Fill in "${config.jira.fields.riskAssessment}" on ${key} in JIRA: what could break, and how bad it would be.`,
        ticketKey: key,
      });
    }
    if (config.rules.postDeployChecks && !isFilled(ticket.postDeployChecks)) {
      out.push({
        rule: 'post-deploy-checks',
        summary: `${key} has no post-deploy checks`,
        fix: `Fill in "${config.jira.fields.postDeployChecks}" on ${key} in JIRA: what to verify in production right after the deploy.`,
        ticketKey: key,
      });
    }
  }
  return out;
}

export interface DeployRuleInput {
  readonly range: DeployRange;
  readonly config: RepoConfig;
  readonly matcher: KeyMatcher;
  readonly keys: DeployKeySummary;
  /** Null when ticket checks are skipped (CLI without JIRA). */
  readonly tickets: ReadonlyMap<string, TicketSnapshot> | null;
}

export interface DeployRuleResult {
  readonly findings: Finding[];
  readonly withoutTicket: CommitWithoutTicket[];
}

export function evaluateDeployRules(input: DeployRuleInput): DeployRuleResult {
  return runSteps(evaluateDeployRulesSteps(input));
}

/** evaluateDeployRules as steps: one per commit without a ticket. */
export function* evaluateDeployRulesSteps(input: DeployRuleInput): Steps<DeployRuleResult> {
  const { range, config, matcher, keys, tickets } = input;
  const findings: Finding[] = [];
  if (config.rules.branchBehind) {
    const behind = branchBehindFinding(range);
    if (behind) findings.push(behind);
  }
  if (tickets) findings.push(...ticketFindings([...keys.shipped.keys()], tickets, keys.shipped, config, { checkStatus: true }));
  const withoutTicket = yield* commitsWithoutTicketSteps(range.commits, keys.byCommit, config);
  if (config.rules.commitWithoutTicket) findings.push(...(yield* commitWithoutTicketFindingsSteps(range.commits, withoutTicket, config, matcher)));
  return { findings: sortFindings(findings), withoutTicket };
}
