/**
 * schema/deploy-report.schema.json: generated from the record schema, never drifting from it, and saying the same
 * as the validator. No JSON-Schema library is installed, so a small checker of exactly the keywords the generated
 * schema uses runs a table of records through both; a keyword it does not know fails the test.
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

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const committedText = readFileSync(path.join(repoRoot, REPORT_JSON_SCHEMA_PATH), 'utf8');
const schema = JSON.parse(committedText) as SchemaNode;

interface SchemaNode {
  readonly [keyword: string]: unknown;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description']);
const ASSERTIONS = new Set([
  'type',
  'properties',
  'additionalProperties',
  'required',
  'items',
  'anyOf',
  'oneOf',
  'enum',
  'const',
  'minLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The problems of `value` against `node` ("tickets.0.key: shorter than 1"); empty when it is valid. */
function check(node: SchemaNode, value: unknown, at = '(root)'): string[] {
  for (const keyword of Object.keys(node)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`${at}: the test's checker does not know the keyword "${keyword}"`);
  }
  const problems: string[] = [];
  const actual = typeOf(value);
  if (node.type !== undefined) {
    const allowed = typeof node.type === 'string' ? [node.type] : node.type;
    if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) return [`${at}: ${actual} is not ${allowed.join('|')}`];
  }
  if ('const' in node && node.const !== value) problems.push(`${at}: not ${JSON.stringify(node.const)}`);
  if (node.enum && !node.enum.some((v) => v === value)) problems.push(`${at}: not one of ${JSON.stringify(node.enum)}`);
  if (node.anyOf?.every((alt) => check(alt, value, at).length > 0)) problems.push(`${at}: matches no alternative`);
  if (node.oneOf && node.oneOf.filter((alt) => check(alt, value, at).length === 0).length !== 1) problems.push(`${at}: does not match exactly one alternative`);
  if (typeof value === 'string') {
    if (typeof node.minLength === 'number' && [...value].length < node.minLength) problems.push(`${at}: shorter than ${node.minLength}`);
    if (typeof node.pattern === 'string' && !new RegExp(node.pattern, 'u').test(value)) problems.push(`${at}: does not match ${node.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof node.minimum === 'number' && value < node.minimum) problems.push(`${at}: below ${node.minimum}`);
    if (typeof node.maximum === 'number' && value > node.maximum) problems.push(`${at}: above ${node.maximum}`);
    if (typeof node.exclusiveMinimum === 'number' && value <= node.exclusiveMinimum) problems.push(`${at}: not above ${node.exclusiveMinimum}`);
  }
  if (Array.isArray(value) && node.items) {
    const items = node.items;
    value.forEach((item, i) => {
      problems.push(...check(items, item, `${at}.${i}`));
    });
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of node.required ?? []) if (!(key in object)) problems.push(`${at}: missing ${key}`);
    for (const [key, child] of Object.entries(object)) {
      const sub = node.properties?.[key];
      if (sub) problems.push(...check(sub, child, `${at}.${key}`));
      else if (node.additionalProperties === false) problems.push(`${at}: unknown key ${key}`);
    }
  }
  return problems;
}

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
    const problems = check(schema, value);
    expect({ valid: problems.length === 0, problems: problems.length ? problems : undefined }).toMatchObject({
      valid: deployRecordSchema.safeParse(value).success,
    });
  });

  it('refuses a key it does not describe, which the reader drops instead (what is written never has one)', () => {
    const extended = { ...builtJson, addedLater: 'x' };
    expect(check(schema, extended)).toEqual(['(root): does not match exactly one alternative']);
    expect(deployRecordSchema.parse(extended)).toEqual(builtJson);
  });

  it('the table has both outcomes (it would catch a schema that accepts or refuses everything)', () => {
    expect(check(schema, builtJson)).toEqual([]);
    expect(check(schema, { ...builtJson, kind: 'release' })).not.toEqual([]);
  });

  it('the docs point at the schema (README for the CLI, docs/architecture.md for the page JSON)', () => {
    expect(readFileSync(path.join(repoRoot, 'README.md'), 'utf8')).toContain(REPORT_JSON_SCHEMA_PATH);
    expect(readFileSync(path.join(repoRoot, 'docs/architecture.md'), 'utf8')).toContain(REPORT_JSON_SCHEMA_PATH);
  });
});
