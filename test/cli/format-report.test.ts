import { describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import { escapeMarkdownText, formatReportMarkdown, markdownCode, MARKDOWN_FOLD_AFTER } from '../../src/core/report/format-report-markdown.js';
import { formatReportText, singleLine } from '../../src/core/report/format-report-text.js';
import { formatReportJson } from '../../src/core/report/format-report-json.js';

const sha = (n: number) => n.toString(16).padStart(40, '0');

function report(overrides: Partial<DeployReport> = {}): DeployReport {
  return {
    kind: 'deploy',
    repo: { owner: 'acme', repo: 'shop' },
    pullRequest: null,
    productionBranch: 'production',
    deployBranch: 'deploy',
    productionSha: sha(1),
    deploySha: sha(2),
    trigger: 'cli',
    evaluatedAt: '2024-05-01T12:00:00.000Z',
    state: 'success',
    error: null,
    compare: { status: 'ahead', aheadBy: 1, behindBy: 0 },
    commits: [{ sha: sha(2), message: 'PROJ-1: <img src=x onerror=alert(1)> **bold** [link](javascript:x) `code` |pipe| @octocat\x1b[31mred\u202Eevil\n\nbody', authorLogin: null, authorName: 'Dev', date: null, parents: [sha(1)], url: null }],
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
  };
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
    const commits = Array.from({ length: MARKDOWN_FOLD_AFTER + 1 }, (_, i) => ({ sha: sha(100 + i), message: `change ${i}`, authorLogin: null, authorName: null, date: null, parents: [], url: null }));
    const md = formatReportMarkdown(
      report({ commits, tickets: [], commitsWithoutTicket: commits.map((c) => ({ sha: c.sha, exemptReason: null })), state: 'failure', statusDescription: '11 problems' }),
    );
    expect(md).toContain(`#### Commits without a ticket (11)\n\n<details><summary>11 commits</summary>\n\n- \`${sha(100).slice(0, 7)}\` change 0\n`);
    expect(md).toContain('- `' + sha(110).slice(0, 7) + '` change 10\n\n</details>');
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
  const commits = Array.from({ length: 30 }, (_, i) => ({ sha: sha(500 + i), message: `change ${i}`, authorLogin: null, authorName: null, date: null, parents: [], url: null }));
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
    expect(md.split('\n').slice(0, 3)).toEqual([expect.stringMatching(/^### ❌ Deploy check: FAIL/), '', expect.stringMatching(/^> Ticket checks skipped: no JIRA settings/)]);
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
