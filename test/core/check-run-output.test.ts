import { describe, expect, it } from 'vitest';
import type { DeployRange, DeployReport, TicketSnapshot } from '../../src/core/domain.js';
import { createKeyMatcher } from '../../src/core/jira-keys/extract-jira-keys.js';
import { buildDeployReport, buildErrorReport, type ReportContext } from '../../src/core/report/build-deploy-report.js';
import {
  buildCheckRunOutput,
  CHECK_RUN_ACTION_LIMITS,
  CHECK_RUN_SUMMARY_MAX,
  CHECK_RUN_TITLE_MAX,
  checkRunConclusion,
  RECHECK_ACTION,
} from '../../src/core/report/check-run-output.js';
import { utf8Length } from '../../src/core/report/format-report-markdown.js';
import { commit, config, range, shaOf, ticket, tickets } from './core-test-builders.js';

const ctx: ReportContext = { repo: { owner: 'acme', repo: 'shop' }, trigger: 'push', evaluatedAt: '2024-05-01T10:00:00.000Z', pullRequest: null };
const matcher = createKeyMatcher({ projects: ['PROJ'] });
const build = (deployRange: DeployRange, ticketMap: ReadonlyMap<string, TicketSnapshot>) =>
  buildDeployReport(ctx, { range: deployRange, config: config(), matcher, tickets: ticketMap });

/** 10,000 commits over 500 tickets, every text long and full of Markdown table syntax; half the commits without a ticket. */
let huge: DeployReport | null = null;
function hugeReport(): DeployReport {
  huge ??= buildHugeReport();
  return huge;
}
function buildHugeReport(): DeployReport {
  const noisy = `${'risky | `code` *bold* [link](x) <b>html</b> @someone '.repeat(40)}\n${'é😀'.repeat(300)}`;
  const commits = Array.from({ length: 10_000 }, (_, i) =>
    commit(`c${i}`, i % 2 === 0 ? `PROJ-${(i % 500) + 1}: ${noisy}` : `chore ${i}: ${noisy}`, {
      sha: shaOf(`c${i}`).slice(0, 34) + String(i).padStart(6, '0'),
    }),
  );
  const snapshots = Array.from({ length: 500 }, (_, i) =>
    ticket(`PROJ-${i + 1}`, {
      status: i % 3 === 0 ? 'In Progress' : 'Ready for Deploy',
      summary: noisy,
      riskLevel: `High | ${noisy}`,
      riskAssessment: [{ type: 'paragraph', text: noisy }],
      postDeployChecks: i % 5 === 0 ? [] : [{ type: 'list', ordered: false, items: [noisy, noisy] }],
    }),
  );
  return build(range(commits), tickets(...snapshots));
}

/** Table rows: every row of the ticket table has exactly its five cells (escaped pipes do not split cells). */
function tableRows(summary: string): string[][] {
  return summary
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) => line.replace(/\\\|/g, '').split('|').slice(1, -1));
}

describe('check run output', () => {
  const small = build(range([commit('a', 'PROJ-1: login')]), tickets(ticket('PROJ-1', { riskLevel: 'High' })));
  const failing = build(range([commit('a', 'PROJ-1: login'), commit('b', 'no ticket here')]), tickets(ticket('PROJ-1', { status: 'In Progress' })));
  const error = buildErrorReport(ctx, { baseBranch: 'production', headBranch: 'deploy', baseSha: null, headSha: shaOf('h'), error: 'JIRA answered HTTP 503' });

  it.each([
    {
      name: 'success',
      report: small,
      conclusion: 'success',
      contains: ['| [PROJ-1](https://acme.atlassian.net/browse/PROJ-1) | Ready for Deploy | High | Low risk: behind a feature flag. |'],
    },
    { name: 'failure', report: failing, conclusion: 'failure', contains: ['#### Problems (2)', 'PROJ-1 is In Progress', '#### Commits without a ticket (1)'] },
    { name: 'error', report: error, conclusion: 'failure', contains: ['JIRA answered HTTP 503', 'press **Re-check JIRA** or push again'] },
  ])('$name: conclusion $conclusion, the status line as title, problems and what to do in the summary', ({ report, conclusion, contains }) => {
    const output = buildCheckRunOutput(report, report.statusDescription);
    expect(checkRunConclusion(report.state as 'success' | 'failure' | 'error')).toBe(conclusion);
    expect(output.title).toBe(report.statusDescription);
    for (const text of contains) expect(output.summary).toContain(text);
    for (const row of tableRows(output.summary)) expect(row).toHaveLength(5);
  });

  it.each([
    { name: 'default budget', maxBytes: undefined },
    { name: 'a small budget', maxBytes: 5_000 },
    { name: 'a budget above the limit is capped', maxBytes: 1_000_000 },
  ])('10,000 commits and 500 tickets fit GitHub’s 65,535-character limit ($name), every table row intact', ({ maxBytes }) => {
    const report = hugeReport();
    const output = buildCheckRunOutput(report, report.statusDescription, maxBytes === undefined ? {} : { maxBytes });
    expect(output.summary.length).toBeLessThanOrEqual(CHECK_RUN_SUMMARY_MAX);
    expect(utf8Length(output.summary)).toBeLessThanOrEqual(Math.min(maxBytes ?? 64_000, CHECK_RUN_SUMMARY_MAX));
    expect(output.summary).toContain('| Ticket | Status | Risk level | Risk assessment | Post-deploy checks |');
    expect(output.summary).toMatch(/more tickets: the full list is on the report page \(Details\)/);
    const rows = tableRows(output.summary);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row).toHaveLength(5);
    // No raw HTML and no mention survives from outside text; no lone surrogate from cutting.
    expect(output.summary).not.toContain('<b>');
    expect(output.summary).not.toMatch(/@someone/);
    expect(output.summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(Array.from(output.title).length).toBeLessThanOrEqual(CHECK_RUN_TITLE_MAX);
  });

  it('the recheck action is within GitHub’s limits', () => {
    expect(RECHECK_ACTION.label.length).toBeLessThanOrEqual(CHECK_RUN_ACTION_LIMITS.label);
    expect(RECHECK_ACTION.identifier.length).toBeLessThanOrEqual(CHECK_RUN_ACTION_LIMITS.identifier);
    expect(RECHECK_ACTION.description.length).toBeLessThanOrEqual(CHECK_RUN_ACTION_LIMITS.description);
    expect(RECHECK_ACTION).toEqual({ label: 'Re-check JIRA', identifier: 'recheck', description: 'Read the tickets again and re-check' });
  });
});
