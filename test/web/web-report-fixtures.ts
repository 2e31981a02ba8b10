/**
 * Reports for the web tests: a hostile one (markup and javascript: links in every field that comes from commits or
 * JIRA), a passing one, a small history and shipments. Built on test/store/fixtures.ts.
 */
import type { DeployReport } from '../../src/core/domain.js';
import type { ShipmentRecord } from '../../src/core/records/shipment-record.js';
import type { ShipmentInput } from '../../src/store/shipment-store.js';
import { fakeSha, FIXTURE_REPO, makeCommit, makeReport, makeReportTicket, makeTicket } from '../store/fixtures.js';

export const SCRIPT = '<script>alert(1)</script>';
export const IMG = '<img src=x onerror=alert(1)>';
export const JS_URL = 'javascript:alert(1)';

export { fakeSha, FIXTURE_REPO, makeCommit, makeReport, makeReportTicket, makeTicket };

/** Every attacker-controlled text carries markup; every attacker-controlled URL is javascript:. */
export function hostileReport(overrides: Partial<DeployReport> = {}): DeployReport {
  const c1 = makeCommit(fakeSha('x1'), `PAY-1 ${SCRIPT} refunds\n\nbody ${IMG}`, { url: JS_URL, authorLogin: `"><svg onload=alert(1)>` });
  const c2 = makeCommit(fakeSha('x2'), `${IMG} no ticket here`, { url: ' JaVaScRiPt:alert(2)', authorLogin: null, authorName: SCRIPT });
  const c3 = makeCommit(fakeSha('x3'), `Revert "PAY-9 ${SCRIPT}"`, { url: 'java\tscript:alert(3)' });
  const ticket = makeTicket('PAY-1', {
    summary: `Refunds ${IMG} ${SCRIPT}`,
    url: JS_URL,
    type: SCRIPT,
    status: IMG,
    assignee: `"><script>alert(1)</script>`,
    riskLevel: IMG,
    riskAssessment: [
      { type: 'heading', text: SCRIPT },
      { type: 'paragraph', text: `See <a href="${JS_URL}">here</a> ${IMG}` },
      { type: 'code', text: `</code></pre>${SCRIPT}` },
      { type: 'quote', text: IMG },
    ],
    postDeployChecks: [{ type: 'list', ordered: true, items: [SCRIPT, `${IMG}`, `<a href="${JS_URL}">x</a>`] }],
  });
  return makeReport({
    repo: FIXTURE_REPO,
    headSha: c2.sha,
    commits: [c1, c2, c3],
    tickets: [makeReportTicket('PAY-1', [c1.sha], ticket), makeReportTicket(`PAY-2`, [c1.sha], null)],
    commitsWithoutTicket: [
      { sha: c2.sha, exemptReason: null },
      { sha: c3.sha, exemptReason: `${SCRIPT} exempt` },
    ],
    reverted: [{ key: 'PAY-9', commitShas: [c3.sha] }],
    pullRequest: { number: 7, title: `${SCRIPT} release`, url: JS_URL },
    findings: [
      { rule: 'ticket-status', summary: `PAY-1 is ${IMG}`, fix: `Move it ${SCRIPT}`, ticketKey: 'PAY-1' },
      { rule: 'commit-without-ticket', summary: `${fakeSha('x2').slice(0, 7)} ${IMG}`, fix: SCRIPT, commitSha: c2.sha },
    ],
    statusDescription: `2 problems ${SCRIPT}`,
    error: SCRIPT,
    ...overrides,
  });
}

export function passingReport(overrides: Partial<DeployReport> = {}): DeployReport {
  const base = makeReport();
  return makeReport({
    state: 'success',
    findings: [],
    tickets: base.tickets.map((t) => makeReportTicket(t.key, t.commitShas)),
    statusDescription: 'All 2 tickets ready',
    evaluatedAt: '2024-05-01T11:00:00.000Z',
    trigger: 'recheck',
    ...overrides,
  });
}

/** `count` deploy reports of one repository, one hour apart, the newest at `newest`. */
export function history(count: number, newest = Date.parse('2024-05-02T00:00:00Z')): DeployReport[] {
  return Array.from({ length: count }, (_, i) =>
    makeReport({
      headSha: fakeSha(`h${String(i).padStart(3, '0')}`),
      evaluatedAt: new Date(newest - i * 3600_000).toISOString(),
      statusDescription: `history report ${i}`,
    }),
  );
}

/** A shipment of FIXTURE_REPO (ShipmentRecord without its id) that passed its check; override what a test needs. */
export function makeShipment(overrides: Partial<ShipmentInput> = {}): ShipmentInput {
  return {
    repo: FIXTURE_REPO,
    fromSha: fakeSha('prod0'),
    toSha: fakeSha('c2'),
    source: 'push',
    environment: null,
    shippedBy: 'dana',
    shippedAt: '2024-05-01T10:00:00.000Z',
    evaluationId: null,
    checkState: 'success',
    problemCount: 0,
    problems: [],
    ticketKeys: ['PAY-1', 'PAY-2'],
    highRiskKeys: [],
    rollback: false,
    ...overrides,
  };
}

/** The same as a stored record, for the pure renderers. */
export function shipmentRecord(id: number, overrides: Partial<ShipmentInput> = {}): ShipmentRecord {
  return { ...makeShipment(overrides), id, kind: 'shipment' };
}
