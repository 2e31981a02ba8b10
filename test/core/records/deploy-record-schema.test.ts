/**
 * The stored-record schema: what the builders produce parses, a shipment parses, and every missing or wrong field
 * is rejected with its path.
 */
import { describe, expect, it } from 'vitest';
import { deployRecordSchema, describeIssues, evaluationSchema, parseStoredEvaluation } from '../../../src/core/records/deploy-record-schema.js';
import type { ShipmentRecord } from '../../../src/core/records/shipment-record.js';
import { createKeyMatcher } from '../../../src/core/jira-keys/extract-jira-keys.js';
import { buildDeployReport, buildErrorReport } from '../../../src/core/report/build-deploy-report.js';
import {
  buildExemptPullRequestReport,
  buildPullRequestReport,
  pullRequestKeys,
  type PullRequestFacts,
} from '../../../src/core/pull-request/evaluate-pull-request.js';
import { commit, config, range, shaOf, ticket, tickets } from '../core-test-builders.js';

const repo = { owner: 'acme', repo: 'shop' };
const matcher = createKeyMatcher({ projects: ['PROJ'] });
const login = commit('login', 'PROJ-1: Add login page', { url: 'https://github.com/acme/shop/commit/1' });
const typo = commit('typo', 'Fix typo');
const pr: PullRequestFacts = {
  number: 7,
  title: 'PROJ-1: Add login page',
  url: 'https://github.com/acme/shop/pull/7',
  headRef: 'feature/PROJ-1',
  headSha: login.sha,
  baseRef: 'main',
  author: 'dev1',
  draft: false,
  labels: [],
  state: 'open',
};

const deploy = buildDeployReport(
  { repo, trigger: 'push', evaluatedAt: '2026-12-01T10:00:00.000Z', pullRequest: null },
  {
    range: range([login, typo]),
    config: config(),
    matcher,
    tickets: tickets(
      ticket('PROJ-1', {
        riskLevel: 'High',
        riskAssessment: [
          { type: 'heading', text: 'Risk' },
          { type: 'list', ordered: true, items: ['a', 'b'] },
          { type: 'code', text: 'x' },
          { type: 'quote', text: 'q' },
        ],
      }),
    ),
  },
);
const prKeys = pullRequestKeys(pr, [login], matcher);
const pullRequest = buildPullRequestReport(
  { repo, trigger: 'pull_request', evaluatedAt: '2026-12-01T10:00:00.000Z' },
  {
    pr,
    baseSha: shaOf('main'),
    commits: [login],
    compare: { status: 'ahead', aheadBy: 1, behindBy: 0 },
    prKeys,
    tickets: tickets(ticket('PROJ-1')),
    findings: [],
    config: config(),
    matcher,
  },
);
const shipment: ShipmentRecord = {
  kind: 'shipment',
  id: 3,
  repo,
  fromSha: null,
  toSha: login.sha,
  source: 'push',
  environment: null,
  shippedBy: 'dana',
  shippedAt: '2026-12-01T11:00:00.000Z',
  evaluationId: 12,
  checkState: 'failure',
  problemCount: 1,
  problems: ['1 commit without a ticket'],
  ticketKeys: ['PROJ-1'],
  highRiskKeys: ['PROJ-1'],
  rollback: false,
};

/** A deep copy with `change` applied to it (a JSON round trip: what the store would hold). */
function changed<T>(record: T, change: (copy: Record<string, any>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string, any>;
  change(copy);
  return copy;
}

describe('deployRecordSchema: valid records parse unchanged', () => {
  it.each([
    { name: 'a deploy evaluation with tickets, findings and every rich block', record: deploy },
    { name: 'a pull-request evaluation', record: pullRequest },
    {
      name: 'an exempt pull-request evaluation (base unknown: null)',
      record: buildExemptPullRequestReport({ repo, trigger: 'recheck', evaluatedAt: '2026-12-01T10:00:00.000Z' }, pr, 'labelled "no-ticket"'),
    },
    {
      name: 'an error evaluation',
      record: buildErrorReport(
        { repo, trigger: 'reconcile', evaluatedAt: '2026-12-01T10:00:00.000Z', pullRequest: null },
        { baseBranch: 'p', headBranch: 'd', baseSha: null, headSha: login.sha, error: 'GitHub answered 502' },
      ),
    },
    { name: 'a deploy evaluation whose commits retention pruned', record: { ...deploy, commits: [], commitsPruned: true } },
    { name: 'a deploy evaluation with truncated messages', record: { ...deploy, truncatedMessages: [login.sha] } },
    { name: 'a shipment', record: shipment },
  ])('$name', ({ record }) => {
    const json = JSON.parse(JSON.stringify(record)) as unknown;
    expect(deployRecordSchema.parse(json)).toEqual(json);
  });

  it('the fixtures really have what the table claims', () => {
    expect(deploy.findings.map((f) => f.rule)).toEqual(['commit-without-ticket']);
    expect(deploy.highRiskKeys).toEqual(['PROJ-1']);
    expect(pullRequest.kind).toBe('pull_request');
  });
});

describe('deployRecordSchema: a missing or wrong field is rejected with its path', () => {
  it.each([
    { name: 'no kind', record: changed(deploy, (r) => delete r.kind), path: 'kind' },
    { name: 'an unknown kind', record: changed(deploy, (r) => (r.kind = 'release')), path: 'kind' },
    { name: 'no headSha', record: changed(deploy, (r) => delete r.headSha), path: 'headSha' },
    { name: 'an empty headSha', record: changed(deploy, (r) => (r.headSha = '')), path: 'headSha' },
    { name: "'' for an unknown base (the old convention)", record: changed(deploy, (r) => (r.baseSha = '')), path: 'baseSha' },
    { name: 'no repo owner', record: changed(deploy, (r) => delete r.repo.owner), path: 'repo.owner' },
    { name: 'an unknown state', record: changed(deploy, (r) => (r.state = 'pending')), path: 'state' },
    { name: 'an unknown trigger', record: changed(deploy, (r) => (r.trigger = 'cron')), path: 'trigger' },
    { name: 'an unknown rule', record: changed(deploy, (r) => (r.findings[0].rule = 'no-such-rule')), path: 'findings.0.rule' },
    { name: 'a finding without a summary', record: changed(deploy, (r) => delete r.findings[0].summary), path: 'findings.0.summary' },
    {
      name: 'an unknown rich block',
      record: changed(deploy, (r) => (r.tickets[0].ticket.riskAssessment[0].type = 'table')),
      path: 'tickets.0.ticket.riskAssessment.0.type',
    },
    {
      name: 'a list block without items',
      record: changed(deploy, (r) => delete r.tickets[0].ticket.riskAssessment[1].items),
      path: 'tickets.0.ticket.riskAssessment.1.items',
    },
    { name: 'a ticket without its key', record: changed(deploy, (r) => delete r.tickets[0].ticket.key), path: 'tickets.0.ticket.key' },
    { name: 'a commit message that is not text', record: changed(deploy, (r) => (r.commits[1].message = 42)), path: 'commits.1.message' },
    { name: 'commits that are not a list', record: changed(deploy, (r) => (r.commits = {})), path: 'commits' },
    { name: 'a negative aheadBy', record: changed(deploy, (r) => (r.compare.aheadBy = -1)), path: 'compare.aheadBy' },
    { name: 'an unknown compare status', record: changed(deploy, (r) => (r.compare.status = 'ahead-ish')), path: 'compare.status' },
    { name: 'highRiskKeys that are not strings', record: changed(deploy, (r) => (r.highRiskKeys = [1])), path: 'highRiskKeys.0' },
    { name: 'commitsPruned that is not a boolean', record: changed(deploy, (r) => (r.commitsPruned = 'yes')), path: 'commitsPruned' },
    { name: 'no ticketChecksSkipped', record: changed(deploy, (r) => delete r.ticketChecksSkipped), path: 'ticketChecksSkipped' },
    { name: 'a pull-request evaluation without its pull request', record: changed(pullRequest, (r) => (r.pullRequest = null)), path: 'pullRequest' },
    { name: 'a pull request number that is not an integer', record: changed(pullRequest, (r) => (r.pullRequest.number = 1.5)), path: 'pullRequest.number' },
    { name: 'a shipment with a short SHA', record: changed(shipment, (r) => (r.toSha = 'abc123')), path: 'toSha' },
    { name: 'a shipment without its check state', record: changed(shipment, (r) => delete r.checkState), path: 'checkState' },
  ])('$name → $path', ({ record, path }) => {
    const result = deployRecordSchema.safeParse(record);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('parseStoredEvaluation', () => {
  it('names the offending fields in its error', () => {
    const broken = changed(deploy, (r) => {
      delete r.headSha;
      r.findings[0].rule = 'no-such-rule';
    });
    expect(() => parseStoredEvaluation(broken)).toThrow(/^stored report is not a valid evaluation: .*headSha: .*findings\.0\.rule: /);
  });

  it('refuses a shipment where an evaluation belongs', () => {
    expect(() => parseStoredEvaluation(shipment)).toThrow(/stored report is not a valid evaluation: kind: /);
  });

  it('refuses what is not an object at all', () => {
    expect(() => parseStoredEvaluation('a string')).toThrow(/stored report is not a valid evaluation: \(root\): /);
  });

  it('reads a report stored with the old field names', () => {
    const { headSha, baseSha, headBranch, baseBranch, ...rest } = deploy;
    const legacy = { ...rest, deploySha: headSha, productionSha: baseSha, deployBranch: headBranch, productionBranch: baseBranch };
    expect(parseStoredEvaluation(JSON.parse(JSON.stringify(legacy)))).toEqual(deploy);
  });

  it('drops keys it does not know (a newer version may add fields; readers rely only on the schema)', () => {
    expect(parseStoredEvaluation({ ...JSON.parse(JSON.stringify(deploy)), addedLater: 1 })).toEqual(deploy);
  });

  it('describeIssues lists at most five issues and counts the rest', () => {
    const result = evaluationSchema.safeParse({ kind: 'deploy' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.length).toBeGreaterThan(5);
    expect(describeIssues(result.error)).toMatch(new RegExp(`; and ${result.error.issues.length - 5} more$`));
  });
});
