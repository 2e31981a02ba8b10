/**
 * schema/deploy-report.schema.json: generated from the record schema, never drifting from it, and saying the same
 * as the validator: a table of records runs through both (test/helpers/json-schema-checker.ts checks the JSON Schema
 * side).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deployRecordSchema } from '../../src/core/records/deploy-record-schema.js';
import { upgradeStoredReport } from '../../src/core/records/upgrade-stored-report.js';
import { createKeyMatcher } from '../../src/core/jira-keys/extract-jira-keys.js';
import { buildDeployReport } from '../../src/core/report/build-deploy-report.js';
import { formatReportJson } from '../../src/core/report/format-report-json.js';
import { REPORT_JSON_SCHEMA_PATH, REPORT_JSON_SCHEMA_URL, renderReportJsonSchema, renderReportJsonSchemaText } from '../../scripts/generate-report-schema.js';
import { commit, config, range, ticket, tickets } from './core-test-builders.js';
import { checkAgainstSchema, type SchemaNode } from '../helpers/json-schema-checker.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const committedText = readFileSync(path.join(repoRoot, REPORT_JSON_SCHEMA_PATH), 'utf8');
const schema = JSON.parse(committedText) as SchemaNode;

const readFixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures', name), 'utf8'));
const matcher = createKeyMatcher({ projects: ['PROJ'] });
const built = buildDeployReport(
  { repo: { owner: 'acme', repo: 'shop' }, trigger: 'cli', evaluatedAt: '2026-12-01T10:00:00.000Z', pullRequest: null },
  { range: range([commit('a', 'PROJ-1: A'), commit('b', 'Fix typo')]), config: config(), matcher, tickets: tickets(ticket('PROJ-1', { riskLevel: 'High' })) },
);
const builtJson = JSON.parse(formatReportJson(built)) as Record<string, unknown>;
const shipment = {
  kind: 'shipment',
  id: 1,
  repo: { owner: 'acme', repo: 'shop' },
  fromSha: 'a'.repeat(40),
  toSha: 'b'.repeat(40),
  source: 'deployment_status',
  environment: 'production',
  shippedBy: null,
  shippedAt: '2026-12-01T11:00:00.000Z',
  evaluationId: null,
  checkState: 'never-checked',
  problemCount: 0,
  problems: [],
  ticketKeys: [],
  highRiskKeys: [],
  rollback: true,
};

describe('schema/deploy-report.schema.json', () => {
  it('is exactly what `npm run schema:report` generates from the zod schema', () => {
    expect(committedText).toBe(renderReportJsonSchemaText());
    expect(renderReportJsonSchema()).toEqual(schema);
  });

  it('is a draft 2020-12 schema with an $id at its published address, one alternative per kind', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(REPORT_JSON_SCHEMA_URL);
    expect(REPORT_JSON_SCHEMA_URL.endsWith(`/${REPORT_JSON_SCHEMA_PATH}`)).toBe(true);
    expect(schema.oneOf?.map((alt) => alt.properties?.kind?.const)).toEqual(['deploy', 'pull_request', 'shipment']);
  });

  it.each([
    { name: 'the CLI --format json output of a built report', value: builtJson },
    { name: 'the built report with its commits pruned', value: { ...builtJson, commits: [], commitsPruned: true } },
    { name: 'a shipment', value: shipment },
    { name: 'a report stored by the previous version, upgraded', value: upgradeStoredReport(readFixture('stored-report-v1-deploy.json')) },
    { name: 'an exempt pull request stored by the previous version, upgraded', value: upgradeStoredReport(readFixture('stored-report-v1-pull-request.json')) },
    { name: 'a report stored by the previous version, as stored (old names)', value: readFixture('stored-report-v1-deploy.json') },
    { name: 'an unknown kind', value: { ...builtJson, kind: 'release' } },
    { name: "'' for an unknown base", value: { ...builtJson, baseSha: '' } },
    { name: 'an unknown rule', value: { ...builtJson, findings: [{ rule: 'nope', summary: 's', fix: 'f' }] } },
    { name: 'a pull-request evaluation without its pull request', value: { ...builtJson, kind: 'pull_request', pullRequest: null } },
    { name: 'a shipment with pull-request number zero', value: { ...shipment, evaluationId: -1 } },
    { name: 'a shipment with a short SHA', value: { ...shipment, toSha: 'abc' } },
  ])('agrees with the validator on $name', ({ value }) => {
    const problems = checkAgainstSchema(schema, value);
    expect({ valid: problems.length === 0, problems: problems.length ? problems : undefined }).toMatchObject({
      valid: deployRecordSchema.safeParse(value).success,
    });
  });

  it('refuses a key it does not describe, which the reader drops instead (what is written never has one)', () => {
    const extended = { ...builtJson, addedLater: 'x' };
    expect(checkAgainstSchema(schema, extended)).toEqual(['(root): does not match exactly one alternative']);
    expect(deployRecordSchema.parse(extended)).toEqual(builtJson);
  });

  it('the table has both outcomes (it would catch a schema that accepts or refuses everything)', () => {
    expect(checkAgainstSchema(schema, builtJson)).toEqual([]);
    expect(checkAgainstSchema(schema, { ...builtJson, kind: 'release' })).not.toEqual([]);
  });

  it('the docs point at the schema (README for the CLI, docs/architecture.md for the page JSON)', () => {
    expect(readFileSync(path.join(repoRoot, 'README.md'), 'utf8')).toContain(REPORT_JSON_SCHEMA_PATH);
    expect(readFileSync(path.join(repoRoot, 'docs/architecture.md'), 'utf8')).toContain(REPORT_JSON_SCHEMA_PATH);
  });
});
