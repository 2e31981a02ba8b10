import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/domain.js';
import {
  errorDescription,
  failureDescription,
  pendingDescription,
  problemPhrases,
  STATUS_DESCRIPTION_MAX,
  successDescription,
  truncateDescription,
  uncheckedTicketsDescription,
} from '../../src/core/report/status-description.js';

const finding = (rule: Finding['rule'], summary: string): Finding => ({ rule, summary, fix: 'fix it' });
const untracked = (n: number): Finding => finding('commit-without-ticket', `commit ${String(n).padStart(7, '0')} has no ticket`);
const codePoints = (s: string): number => Array.from(s).length;
const hasLoneSurrogate = (s: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('failureDescription', () => {
  it.each([
    {
      name: 'the documented example',
      findings: [finding('ticket-status', 'PROJ-12 is In Progress'), untracked(1), untracked(2)],
      text: '3 problems: PROJ-12 is In Progress; 2 commits without a ticket',
    },
    {
      name: 'one problem is singular',
      findings: [finding('risk-assessment', 'PROJ-7 has no risk assessment')],
      text: '1 problem: PROJ-7 has no risk assessment',
    },
    { name: 'one commit without a ticket is singular', findings: [untracked(1)], text: '1 problem: 1 commit without a ticket' },
    {
      name: 'the branch-behind phrase',
      findings: [finding('branch-behind', 'deploying this would roll back 2 commits of production')],
      text: '1 problem: deploying this would roll back 2 commits of production',
    },
    {
      name: 'commits without a ticket fold into one phrase where the first one stood',
      findings: [untracked(1), finding('unknown-ticket', 'PROJ-9 is unknown to JIRA'), untracked(2), untracked(3)],
      text: '4 problems: 3 commits without a ticket; PROJ-9 is unknown to JIRA',
    },
    {
      name: 'typical mix in rule order',
      findings: [
        finding('ticket-status', 'PROJ-1 is Open'),
        finding('unknown-ticket', 'PROJ-9 is unknown to JIRA'),
        finding('risk-assessment', 'PROJ-2 has no risk assessment'),
        finding('post-deploy-checks', 'PROJ-2 has no post-deploy checks'),
      ],
      text: '4 problems: PROJ-1 is Open; PROJ-9 is unknown to JIRA; PROJ-2 has no risk assessment; PROJ-2 has no post-deploy checks',
    },
    {
      name: 'too many phrases are cut with an ellipsis at 140 code points',
      findings: ['Open', 'In Progress', 'In Review', 'Blocked', 'Backlog', 'To Do', 'QA', 'Waiting'].map((s, i) =>
        finding('ticket-status', `PROJ-${i + 1} is ${s}`),
      ),
      text: '8 problems: PROJ-1 is Open; PROJ-2 is In Progress; PROJ-3 is In Review; PROJ-4 is Blocked; PROJ-5 is Backlog; PROJ-6 is To Do; PROJ-7 is QA…',
    },
  ])('$name', ({ findings, text }) => {
    expect(failureDescription(findings)).toBe(text);
    expect(codePoints(failureDescription(findings))).toBeLessThanOrEqual(STATUS_DESCRIPTION_MAX);
  });

  it('1,000 findings fit in 140 code points', () => {
    const findings = Array.from({ length: 1000 }, (_, i) =>
      i % 3 === 0 ? untracked(i) : finding('ticket-status', `PROJ-${i} is Waiting for a very long review by the architecture board`),
    );
    const text = failureDescription(findings);
    expect(text.startsWith('1000 problems: 334 commits without a ticket; PROJ-1 is Waiting')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(codePoints(text)).toBeLessThanOrEqual(STATUS_DESCRIPTION_MAX);
  });

  it('1,000 commits without a ticket stay one short phrase', () => {
    expect(failureDescription(Array.from({ length: 1000 }, (_, i) => untracked(i)))).toBe('1000 problems: 1000 commits without a ticket');
  });

  it.each([
    { name: 'emoji', status: '🚧 Blocked 🚧' },
    { name: 'mathematical letters', status: '𝔅𝔩𝔬𝔠𝔨𝔢𝔡 𝔟𝔶 𝔮𝔞' },
    { name: 'CJK extension B', status: '𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇' },
  ])('astral characters ($name) are counted as one each and never split', ({ status }) => {
    const findings = Array.from({ length: 40 }, (_, i) => finding('ticket-status', `PROJ-${i} is ${status}`));
    const text = failureDescription(findings);
    expect(codePoints(text)).toBeLessThanOrEqual(STATUS_DESCRIPTION_MAX);
    expect(codePoints(text)).toBeGreaterThan(STATUS_DESCRIPTION_MAX - 10);
    expect(hasLoneSurrogate(text)).toBe(false);
  });
});

describe('problemPhrases', () => {
  it('keeps summaries and folds commits without a ticket', () => {
    expect(problemPhrases([finding('ticket-status', 'PROJ-1 is Open'), untracked(1), untracked(2)])).toEqual(['PROJ-1 is Open', '2 commits without a ticket']);
  });

  it('is empty without findings', () => {
    expect(problemPhrases([])).toEqual([]);
  });
});

describe('truncateDescription', () => {
  it.each([
    { name: 'short text is unchanged', input: 'All clear', output: 'All clear' },
    { name: 'whitespace runs and line breaks collapse', input: '  a \n\t b  ', output: 'a b' },
    { name: 'exactly 140 characters are kept', input: 'x'.repeat(140), output: 'x'.repeat(140) },
    { name: '141 characters become 139 and an ellipsis', input: 'x'.repeat(141), output: `${'x'.repeat(139)}…` },
    { name: 'a space before the cut is trimmed before the ellipsis', input: `${'x'.repeat(138)} yyyy`, output: `${'x'.repeat(138)}…` },
    { name: '140 emoji are 140 code points and are kept', input: '😀'.repeat(140), output: '😀'.repeat(140) },
    { name: '141 emoji are cut to 139 emoji and an ellipsis', input: '😀'.repeat(141), output: `${'😀'.repeat(139)}…` },
    { name: 'a custom maximum', input: 'abcdefghij', max: 5, output: 'abcd…' },
  ])('$name', ({ input, output, max }) => {
    expect(truncateDescription(input, max)).toBe(output);
  });
});

describe('success, pending and error descriptions', () => {
  it.each([
    { name: 'several tickets and commits', tickets: 2, commits: 5, text: 'All clear: 2 tickets ready, 5 commits checked' },
    { name: 'one ticket, one commit (singular)', tickets: 1, commits: 1, text: 'All clear: 1 ticket ready, 1 commit checked' },
    { name: 'commits without tickets (all exempt)', tickets: 0, commits: 3, text: 'All clear: no tickets, 3 commits checked' },
    { name: 'identical branches: nothing to deploy', tickets: 0, commits: 0, text: 'Nothing to deploy: no commits ahead of production' },
  ])('success: $name', ({ tickets, commits, text }) => {
    expect(successDescription(tickets, commits)).toBe(text);
  });

  it.each([
    { name: 'unknown commit count', commits: null, text: 'Checking deploy…' },
    { name: 'one commit', commits: 1, text: 'Checking 1 commit…' },
    { name: 'several commits', commits: 12, text: 'Checking 12 commits…' },
  ])('pending: $name', ({ commits, text }) => {
    expect(pendingDescription(commits)).toBe(text);
  });

  it.each([
    { name: 'a short reason', reason: 'JIRA answered 503', text: 'Could not check: JIRA answered 503' },
    {
      name: 'a config error naming the key',
      reason: 'invalid .github/deploy-checker.yml: rules.branchBehind: Invalid input: expected boolean, received string',
      text: 'Could not check: invalid .github/deploy-checker.yml: rules.branchBehind: Invalid input: expected boolean, received string',
    },
  ])('error: $name', ({ reason, text }) => {
    expect(errorDescription(reason)).toBe(text);
  });

  it('error: a long multi-line reason is flattened and cut to 140 code points', () => {
    const text = errorDescription(`GitHub said:\n${'rate limit exceeded '.repeat(20)}`);
    expect(text.startsWith('Could not check: GitHub said: rate limit exceeded rate')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(codePoints(text)).toBe(STATUS_DESCRIPTION_MAX);
  });
});

describe('uncheckedTicketsDescription', () => {
  it.each([
    [3, 10, 'No problems in 10 commits; 3 tickets not checked (no JIRA settings)'],
    [1, 1, 'No problems in 1 commit; 1 ticket not checked (no JIRA settings)'],
  ])('%i tickets, %i commits', (tickets, commits, expected) => {
    expect(uncheckedTicketsDescription(tickets, commits)).toBe(expected);
  });
});
