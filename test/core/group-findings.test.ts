import { describe, expect, it } from 'vitest';
import type { CommitInfo, DeployRange, TicketSnapshot } from '../../src/core/domain.js';
import { createKeyMatcher } from '../../src/core/jira-keys/extract-jira-keys.js';
import { buildDeployReport } from '../../src/core/report/build-deploy-report.js';
import { groupFindings, previewItems, subjectPrefix, suggestExemptPatterns } from '../../src/core/report/group-findings.js';
import { commit, config, range, ticket, tickets } from './core-test-builders.js';

const matcher = createKeyMatcher({ projects: ['PROJ'] });

/** The real rules' findings for this range, grouped. */
function grouped(commits: readonly CommitInfo[], ticketMap: ReadonlyMap<string, TicketSnapshot> | null = null, overrides: Partial<DeployRange> = {}) {
  const report = buildDeployReport(
    { repo: { owner: 'acme', repo: 'shop' }, trigger: 'cli', evaluatedAt: '2024-05-01T10:00:00.000Z', pullRequest: null },
    { range: range(commits, overrides), config: config(), matcher, tickets: ticketMap },
  );
  return { report, groups: groupFindings(report) };
}

const many = (n: number, subject: (i: number) => string) => Array.from({ length: n }, (_, i) => commit(`c${i}`, subject(i)));

describe('groupFindings', () => {
  it('groups 204 commits without a ticket into one problem listing them, with the common prefixes as commits.exempt patterns', () => {
    const commits = many(204, (i) =>
      i < 120 ? `MINOR: tidy ${i}` : i < 160 ? `HOTFIX: patch ${i}` : i < 190 ? `Bump lib-${i} from 1.0 to 1.1` : `one-off change ${i}`,
    );
    const { report, groups } = grouped(commits);
    expect(report.findings).toHaveLength(204); // the report itself is untouched
    expect(groups).toHaveLength(1);
    const [g] = groups;
    expect(g).toMatchObject({ rule: 'commit-without-ticket', summary: '204 commits have no ticket', itemKind: 'commit' });
    expect(g!.findings).toHaveLength(204);
    expect(g!.items).toEqual(commits.map((c) => c.sha.slice(0, 7)));
    expect(g!.exemptSuggestions).toEqual([
      { prefix: 'MINOR:', pattern: '^MINOR:', count: 120 },
      { prefix: 'HOTFIX:', pattern: '^HOTFIX:', count: 40 },
      { prefix: 'Bump ', pattern: '^Bump ', count: 30 },
    ]);
    expect(g!.fix).toBe(
      'Reference a ticket in the commit message (e.g. "PROJ-123: MINOR: tidy 0"), or exempt such commits with commits.exempt in .github/deploy-checker.yml.' +
        ' The most common subject prefixes here: "MINOR:" (120 commits), "HOTFIX:" (40), "Bump " (30); if such commits need no ticket: commits.exempt: ["^MINOR:","^HOTFIX:","^Bump "].',
    );
    // The suggested patterns do exempt those commits.
    const withConfig = buildDeployReport(
      { repo: { owner: 'a', repo: 'b' }, trigger: 'cli', evaluatedAt: 'x', pullRequest: null },
      { range: range(commits), config: config({ commits: { exempt: g!.exemptSuggestions.map((s) => s.pattern) } }), matcher, tickets: null },
    );
    expect(withConfig.findings).toHaveLength(14);
  });

  it('keeps a single finding as it is, and a commit with its own hint (a key of another project) apart', () => {
    const { report, groups } = grouped([commit('a', 'fix typo'), commit('b', 'PORJ-12: wrong project'), commit('c', 'another fix')]);
    expect(groups.map((g) => g.findings.length)).toEqual([2, 1]);
    const [plain, hinted] = groups;
    expect(plain!.summary).toBe('2 commits have no ticket');
    expect(plain!.exemptSuggestions).toEqual([]);
    expect(plain!.fix).not.toContain('most common');
    expect(hinted).toEqual({
      rule: 'commit-without-ticket',
      findings: [report.findings[1]],
      summary: report.findings[1]!.summary,
      fix: report.findings[1]!.fix,
      items: [],
      itemKind: 'commit',
      exemptSuggestions: [],
    });
    expect(hinted!.fix).toContain('It mentions PORJ-12');
  });

  it('groups ticket findings per rule: statuses listed per ticket, the fix for each ticket', () => {
    const commits = [commit('1', 'PROJ-1: a'), commit('2', 'PROJ-2: b'), commit('3', 'PROJ-3: c'), commit('4', 'PROJ-4: d')];
    const ticketMap = tickets(
      ticket('PROJ-1', { status: 'In Progress', riskAssessment: [] }),
      ticket('PROJ-2', { status: 'To Do', riskAssessment: [] }),
      ticket('PROJ-3', { postDeployChecks: [] }),
    );
    const { groups } = grouped(commits, ticketMap);
    expect(groups.map((g) => [g.rule, g.summary, g.items])).toEqual([
      ['ticket-status', '2 tickets are not in an allowed status', ['PROJ-1 (In Progress)', 'PROJ-2 (To Do)']],
      ['unknown-ticket', 'PROJ-4 is unknown to JIRA', []],
      ['risk-assessment', '2 tickets have no risk assessment', ['PROJ-1', 'PROJ-2']],
      ['post-deploy-checks', 'PROJ-3 has no post-deploy checks', []],
    ]);
    expect(groups[0]!.fix).toMatch(/^Move each ticket to "/);
    expect(groups[2]!.fix).toMatch(/^Fill in "[^"]+" on each ticket in JIRA: what could break/);
    expect(groups.every((g) => g.itemKind === 'ticket')).toBe(true);
  });

  it('groups tickets unknown to JIRA whatever commits quote them', () => {
    const { groups } = grouped([commit('1', 'PROJ-1: a'), commit('2', 'PROJ-2: b'), commit('3', 'PROJ-2: more b')], tickets());
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ rule: 'unknown-ticket', summary: '2 tickets are unknown to JIRA', items: ['PROJ-1', 'PROJ-2'] });
    expect(groups[0]!.fix).toMatch(/^JIRA has none of these tickets/);
  });

  it('keeps the rule order: branch-behind first, commits without a ticket last', () => {
    const { groups } = grouped([commit('1', 'PROJ-1: a'), commit('2', 'no key'), commit('3', 'no key either')], tickets(ticket('PROJ-1')), {
      status: 'diverged',
      behindBy: 2,
    });
    expect(groups.map((g) => g.summary)).toEqual(['deploying this would roll back 2 commits of production', '2 commits have no ticket']);
  });
});

describe('subjectPrefix', () => {
  it.each([
    ['MINOR: tidy', 'MINOR:', '^MINOR:'],
    ['chore(deps): bump x', 'chore(…):', '^chore\\('],
    ['fix!: drop node 18', 'fix!:', '^fix!:'],
    ['[skip ci] docs', '[skip ci]', '^\\[skip ci\\]'],
    ['Bump lodash from 4.17.20 to 4.17.21', 'Bump ', '^Bump '],
    ['Merge pull request #12 from acme/x', 'Merge ', '^Merge '],
    ['a.b: c', null, null],
    ['42 things', null, null],
    ['x', null, null],
  ])('%j → %j', (subject, prefix, pattern) => {
    const p = subjectPrefix(subject);
    expect(p === null ? null : p.prefix).toBe(prefix);
    expect(p === null ? null : p.pattern).toBe(pattern);
    if (p) expect(new RegExp(p.pattern).test(subject)).toBe(true);
  });
});

describe('suggestExemptPatterns', () => {
  it('keeps prefixes of two commits or more, most used first, ties in range order, at most three', () => {
    expect(
      suggestExemptPatterns(['Bump a', 'MINOR: x', 'Bump b', 'MINOR: y', 'docs: z', 'docs: w', 'HOTFIX: 1', 'HOTFIX: 2', 'HOTFIX: 3', 'lonely: one']),
    ).toEqual([
      { prefix: 'HOTFIX:', pattern: '^HOTFIX:', count: 3 },
      { prefix: 'Bump ', pattern: '^Bump ', count: 2 },
      { prefix: 'MINOR:', pattern: '^MINOR:', count: 2 },
    ]);
    expect(suggestExemptPatterns(['one: a', 'two: b'])).toEqual([]);
  });
});

describe('previewItems', () => {
  it.each([
    [3, 10, 3, 0],
    [10, 10, 10, 0],
    [204, 10, 10, 194],
  ])('%i items, first %i → %i shown, %i more', (n, first, shown, more) => {
    const items = Array.from({ length: n }, (_, i) => `i${i}`);
    const p = previewItems(items, first);
    expect(p.shown).toEqual(items.slice(0, shown));
    expect(p.more).toBe(more);
  });
});
