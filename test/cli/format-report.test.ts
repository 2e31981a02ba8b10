import { describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import {
  escapeMarkdownText,
  formatReportMarkdown,
  GITHUB_COMMENT_MAX,
  markdownCode,
  MARKDOWN_FOLD_AFTER,
  MARKDOWN_MAX_BYTES,
  utf8Length,
} from '../../src/core/report/format-report-markdown.js';
import { formatReportText, singleLine } from '../../src/core/report/format-report-text.js';
import { formatReportJson } from '../../src/core/report/format-report-json.js';

const sha = (n: number) => n.toString(16).padStart(40, '0');

function report(overrides: Partial<DeployReport> = {}): DeployReport {
  return {
    kind: 'deploy',
    repo: { owner: 'acme', repo: 'shop' },
    pullRequest: null,
    baseBranch: 'production',
    headBranch: 'deploy',
    baseSha: sha(1),
    headSha: sha(2),
    trigger: 'cli',
    evaluatedAt: '2024-05-01T12:00:00.000Z',
    state: 'success',
    error: null,
    compare: { status: 'ahead', aheadBy: 1, behindBy: 0 },
    commits: [
      {
        sha: sha(2),
        message: 'PROJ-1: <img src=x onerror=alert(1)> **bold** [link](javascript:x) `code` |pipe| @octocat\x1b[31mred\u202Eevil\n\nbody',
        authorLogin: null,
        authorName: 'Dev',
        date: null,
        parents: [sha(1)],
        url: null,
      },
    ],
    tickets: [
      {
        key: 'PROJ-1',
        commitShas: [sha(2)],
        ticket: {
          key: 'PROJ-1',
          summary: 'Summary with <script>alert(1)</script> & _under_ ~strike~',
          type: 'Bug',
          status: 'Done',
          assignee: null,
          riskAssessment: [],
          postDeployChecks: [],
          riskLevel: null,
          url: 'https://jira.example.test/browse/PROJ-1?x=(y)',
        },
      },
    ],
    reverted: [],
    commitsWithoutTicket: [],
    findings: [],
    ticketChecksSkipped: false,
    statusDescription: 'All clear: 1 ticket ready, 1 commit checked',
    ...overrides,
  } as DeployReport; // overrides may change the kind: keeping kind and pullRequest consistent is the caller's part
}

describe('markdown escaping', () => {
  it('leaves no raw HTML, links, emphasis, table pipes or mentions from outside text', () => {
    const md = formatReportMarkdown(report());
    expect(md).not.toMatch(/<(img|script)/);
    expect(md).toContain('Summary with &lt;script&gt;alert(1)&lt;/script&gt; &amp; \\_under\\_ \\~strike\\~');
    expect(md).toContain('[PROJ-1](https://jira.example.test/browse/PROJ-1?x=%28y%29)');
    expect(escapeMarkdownText('**bold** [link](javascript:x) `code` |pipe| @octocat')).toBe(
      '\\*\\*bold\\*\\* \\[link\\](javascript:x) \\`code\\` \\|pipe\\| @\u200boctocat',
    );
    expect(escapeMarkdownText('line one\n# heading\n- item')).toBe('line one # heading - item');
  });

  it('puts any branch name in a code span that holds it verbatim', () => {
    expect(markdownCode('release/1.0')).toBe('`release/1.0`');
    expect(markdownCode('we`ird')).toBe('``we`ird``');
    expect(markdownCode('`x')).toBe('`` `x ``');
  });

  it('does not link a ticket URL that is not http(s)', () => {
    const base = report();
    const md = formatReportMarkdown(report({ tickets: [{ ...base.tickets[0]!, ticket: { ...base.tickets[0]!.ticket!, url: 'javascript:alert(1)' } }] }));
    expect(md).toContain('| PROJ-1 | Summary');
    expect(md).not.toContain('javascript:alert');
  });

  it(`folds lists longer than ${MARKDOWN_FOLD_AFTER} items into <details>`, () => {
    const commits = Array.from({ length: MARKDOWN_FOLD_AFTER + 1 }, (_, i) => ({
      sha: sha(100 + i),
      message: `change ${i}`,
      authorLogin: null,
      authorName: null,
      date: null,
      parents: [],
      url: null,
    }));
    const md = formatReportMarkdown(
      report({
        commits,
        tickets: [],
        commitsWithoutTicket: commits.map((c) => ({ sha: c.sha, exemptReason: null })),
        state: 'failure',
        statusDescription: '11 problems',
      }),
    );
    expect(md).toContain(`#### Commits without a ticket (11)\n\n<details><summary>11 commits</summary>\n\n- \`${sha(100).slice(0, 7)}\` change 0\n`);
    expect(md).toContain(`- \`${sha(110).slice(0, 7)}\` change 10\n\n</details>`);
  });
});

describe('text format', () => {
  it('strips terminal control and bidi characters from outside text', () => {
    const text = formatReportText(report());
    expect(text).not.toMatch(/[\x1b\u202e]/);
    expect(text).toContain(`${sha(2).slice(0, 7)} PROJ-1: <img src=x onerror=alert(1)> **bold** [link](javascript:x) \`code\` |pipe| @octocat [31mred evil`);
    expect(singleLine(' a\tb\r\nc\u0007 ')).toBe('a b c');
  });

  it('shows an error report as ERROR with its reason', () => {
    const text = formatReportText(report({ state: 'error', error: 'JIRA answered HTTP 500 while listing fields', compare: null, commits: [], tickets: [] }));
    expect(text.split('\n')[0]).toBe('deploy-checker: ERROR — could not check: JIRA answered HTTP 500 while listing fields');
    expect(text).toContain(': not compared');
  });
});

describe('identical problems are grouped (text and markdown); json keeps every finding', () => {
  const commits = Array.from({ length: 204 }, (_, i) => ({
    sha: (0x1000000 + i).toString(16).padEnd(40, '0'),
    message: i < 120 ? `MINOR: tidy ${i}` : i < 160 ? `HOTFIX: patch ${i}` : `Bump dep-${i} from 1 to 2`,
    authorLogin: null,
    authorName: null,
    date: null,
    parents: [],
    url: null,
  }));
  const findings = commits.map((c) => ({
    rule: 'commit-without-ticket' as const,
    summary: `commit ${c.sha.slice(0, 7)} has no ticket`,
    fix: `Reference a ticket in the commit message (e.g. "PROJ-123: ${c.message}"), or exempt such commits with commits.exempt in .github/deploy-checker.yml.`,
    commitSha: c.sha,
  }));
  const failing = report({
    state: 'failure',
    commits,
    tickets: [],
    commitsWithoutTicket: commits.map((c) => ({ sha: c.sha, exemptReason: null })),
    findings: [{ rule: 'branch-behind', summary: 'deploying this would roll back 1 commit of production', fix: 'Merge production into deploy.' }, ...findings],
    statusDescription: '205 problems: deploying this would roll back 1 commit of production; 204 commits without a ticket',
  });
  const first10 = commits.slice(0, 10).map((c) => c.sha.slice(0, 7));

  it('text: one numbered problem for the 204 commits, the first 10 SHAs and "and 194 more", the exempt suggestion', () => {
    const text = formatReportText(failing);
    expect(text).toContain(
      '\nProblems (205 in 2 groups)\n  1. deploying this would roll back 1 commit of production\n     Fix: Merge production into deploy.\n',
    );
    expect(text).toContain(
      `\n  2. 204 commits have no ticket: ${first10.join(', ')} and 194 more\n     Fix: Reference a ticket in the commit message (e.g. "PROJ-123: MINOR: tidy 0")`,
    );
    expect(text).toContain(
      'The most common subject prefixes here: "MINOR:" (120 commits), "Bump " (44), "HOTFIX:" (40); if such commits need no ticket: commits.exempt: ["^MINOR:","^Bump ","^HOTFIX:"].\n',
    );
    expect(text).not.toContain('  3. ');
    // Every commit is still listed in its own section.
    expect(text).toContain('Commits without a ticket (204)\n');
  });

  it('markdown: one checklist item for the 204 commits', () => {
    const md = formatReportMarkdown(failing);
    expect(md).toContain('#### Problems (205 in 2 groups)\n\n- [ ] **deploying this would roll back 1 commit of production**: Merge production into deploy.\n');
    expect(md).toContain(`- [ ] **204 commits have no ticket** (${first10.map((s) => `\`${s}\``).join(', ')} and 194 more): Reference a ticket`);
    expect(md).toContain('commits.exempt: \\["^MINOR:","^Bump ","^HOTFIX:"\\].');
    expect(md.match(/^- \[ \] /gm)).toHaveLength(2);
  });

  it('json: the findings as they are, one per commit', () => {
    expect((JSON.parse(formatReportJson(failing)) as DeployReport).findings).toHaveLength(205);
  });
});

describe("markdown stays under GitHub's comment limit", () => {
  const N = 5_000;
  const hex = (i: number) => (0x2000000 + i).toString(16).padEnd(40, '0');
  const commits = Array.from({ length: 3 * N }, (_, i) => ({
    sha: hex(i),
    message: i < N ? `PROJ-${i + 1}: change ${i} — ünïcödé 変更 ${'x'.repeat(i % 80)}` : i < 2 * N ? `change without a ticket ${i}` : `MINOR: exempt ${i}`,
    authorLogin: null,
    authorName: null,
    date: null,
    parents: [],
    url: null,
  }));
  const huge = report({
    state: 'failure',
    commits,
    tickets: commits.slice(0, N).map((c, i) => ({
      key: `PROJ-${i + 1}`,
      commitShas: [c.sha],
      ticket: {
        key: `PROJ-${i + 1}`,
        summary: `Summary ${i} ${'y'.repeat(300)}`,
        type: 'Story',
        status: 'In Progress',
        assignee: null,
        riskAssessment: [],
        postDeployChecks: [],
        riskLevel: null,
        url: `https://jira.example.test/browse/PROJ-${i + 1}`,
      },
    })),
    commitsWithoutTicket: commits.slice(N).map((c, i) => ({ sha: c.sha, exemptReason: i < N ? null : 'subject matches ^MINOR:' })),
    reverted: commits.slice(0, 50).map((c, i) => ({ key: `PROJ-${i + 1}`, commitShas: [c.sha] })),
    findings: [
      ...commits.slice(0, N).map((_, i) => ({
        rule: 'ticket-status' as const,
        summary: `PROJ-${i + 1} is In Progress`,
        fix: `Move PROJ-${i + 1} to "Done" in JIRA once it is ready to ship, or take its commits out of the deploy.`,
        ticketKey: `PROJ-${i + 1}`,
      })),
      ...commits.slice(N, 2 * N).map((c) => ({
        rule: 'commit-without-ticket' as const,
        summary: `commit ${c.sha.slice(0, 7)} has no ticket`,
        fix: 'Reference a ticket in the commit message, or exempt such commits with commits.exempt in .github/deploy-checker.yml.',
        commitSha: c.sha,
      })),
    ],
    statusDescription: '10000 problems',
  });

  it(`cuts a 5,000-ticket, 10,000-commit report to at most ${MARKDOWN_MAX_BYTES.toLocaleString('en-US')} bytes, every list with "and N more" and a pointer to --format json`, () => {
    const md = formatReportMarkdown(huge);
    expect(utf8Length(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(MARKDOWN_MAX_BYTES).toBeLessThan(GITHUB_COMMENT_MAX);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_MAX);
    // Still most of the budget used, and every section there with its full count.
    expect(utf8Length(md)).toBeGreaterThan(MARKDOWN_MAX_BYTES * 0.9);
    for (const heading of [
      '#### Problems (10,000 in 2 groups)',
      '#### Tickets (5,000)',
      '#### Commits without a ticket (5,000)',
      '#### Exempt commits without a ticket (5,000)',
      '#### Reverted (50)',
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    const mores = [...md.matchAll(/_… and ([\d,]+) more (\w+(?: \w+)?): the full list is in `--format json`\._/g)].map((m) => [m[2], m[1]]);
    expect(mores.map(([noun]) => noun)).toEqual(['tickets', 'commits', 'commits']);
    // Every long list cut at the same length; the 50 reverted tickets, shorter than that, are all there.
    const shownCounts = mores.map(([, more]) => N - Number(more!.replace(/,/g, '')));
    expect(new Set(shownCounts).size).toBe(1);
    expect(shownCounts[0]).toBeGreaterThan(50);
    expect(md).toContain('- **PROJ-50** taken out by');
    // Grouped problems: two checklist items whatever the number of findings.
    expect(md.match(/^- \[ \] /gm)).toHaveLength(2);
    expect(md).toContain('- [ ] **5,000 tickets are not in an allowed status** (PROJ-1 (In Progress), ');
    // Folds stay balanced; long summaries are cut.
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    expect(md).not.toContain('y'.repeat(250));
  });

  it('leaves a report that fits as it is', () => {
    const md = formatReportMarkdown(report());
    expect(md).not.toContain('more');
    expect(formatReportMarkdown(report(), { maxBytes: utf8Length(md) })).toBe(md);
  });

  it.each([20_000, 5_000, 1_500])('keeps within a budget of %i bytes', (maxBytes) => {
    const md = formatReportMarkdown(huge, { maxBytes });
    expect(utf8Length(md)).toBeLessThanOrEqual(maxBytes);
    expect(md).toMatch(/^### ❌ Deploy check: FAIL/);
    expect(md).toContain('`--format json`');
  });

  it('cuts the text itself under a budget too small for any list', () => {
    const md = formatReportMarkdown(huge, { maxBytes: 300 });
    expect(utf8Length(md)).toBeLessThanOrEqual(300);
    expect(md.endsWith('_… cut to fit: the full report is in `--format json`._\n')).toBe(true);
  });
});

describe('json format', () => {
  it('is the report itself, pretty-printed, ticketChecksSkipped first', () => {
    const r = report();
    const json = formatReportJson(r);
    expect(JSON.parse(json)).toEqual(r);
    const { ticketChecksSkipped, ...rest } = r;
    expect(json).toBe(`${JSON.stringify({ ticketChecksSkipped, ...rest }, null, 2)}\n`);
    expect(json.startsWith('{\n  "ticketChecksSkipped": false,\n  "kind": "deploy",\n')).toBe(true);
  });
});

describe('the "ticket checks skipped" notice comes first in every format', () => {
  const commits = Array.from({ length: 30 }, (_, i) => ({
    sha: sha(500 + i),
    message: `change ${i}`,
    authorLogin: null,
    authorName: null,
    date: null,
    parents: [],
    url: null,
  }));
  const skipped = report({
    ticketChecksSkipped: true,
    state: 'failure',
    commits,
    tickets: [{ key: 'PROJ-1', ticket: null, commitShas: [sha(500)] }],
    commitsWithoutTicket: commits.slice(1).map((c) => ({ sha: c.sha, exemptReason: null })),
    findings: [{ rule: 'branch-behind', summary: 'deploying this would roll back 1 commit of production', fix: 'merge production' }],
    statusDescription: '1 problem: deploying this would roll back 1 commit of production',
  });

  it('text: right after the verdict line', () => {
    const lines = formatReportText(skipped).split('\n');
    expect(lines[0]).toMatch(/^deploy-checker: FAIL/);
    expect(lines[1]).toMatch(/^Ticket checks skipped: no JIRA settings/);
    expect(lines.filter((l) => l.startsWith('Ticket checks skipped'))).toHaveLength(1);
  });

  it('markdown: right after the title, as a quote', () => {
    const md = formatReportMarkdown(skipped);
    expect(md.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^### ❌ Deploy check: FAIL/),
      '',
      expect.stringMatching(/^> Ticket checks skipped: no JIRA settings/),
    ]);
    expect(md.match(/Ticket checks skipped/g)).toHaveLength(1);
  });

  it('json: the first key', () => {
    expect(Object.keys(JSON.parse(formatReportJson(skipped)) as object)[0]).toBe('ticketChecksSkipped');
  });

  it('is left out when tickets were checked, and for an error report', () => {
    expect(formatReportText(report())).not.toContain('Ticket checks skipped');
    expect(formatReportMarkdown(report())).not.toContain('Ticket checks skipped');
    expect(formatReportText(report({ state: 'error', error: 'x', ticketChecksSkipped: true }))).not.toContain('Ticket checks skipped');
  });
});
