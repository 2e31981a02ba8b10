/**
 * schema/deploy-checker.schema.json: generated from the zod schema, never drifting from it, and saying the same as
 * the validator: a table of files runs through both (test/helpers/json-schema-checker.ts checks the JSON Schema side).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { defaultRepoConfig, parseRepoConfig, repoConfigSchema } from '../../src/core/config/repo-config-schema.js';
import {
  CONFIG_JSON_SCHEMA_PATH,
  CONFIG_JSON_SCHEMA_URL,
  YAML_LANGUAGE_SERVER_LINE,
  renderConfigJsonSchema,
  renderConfigJsonSchemaText,
} from '../../scripts/generate-config-schema.js';
import { CONFIGURATION_DOC_PATH } from '../../scripts/generate-config-docs.js';
import { checkAgainstSchema, type SchemaNode } from '../helpers/json-schema-checker.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const committedText = readFileSync(path.join(repoRoot, CONFIG_JSON_SCHEMA_PATH), 'utf8');
const schema = JSON.parse(committedText) as SchemaNode;

/** Every object node of the schema with its key path. */
function objectNodes(node: SchemaNode, at: string[] = []): Array<[string[], SchemaNode]> {
  if (!node.properties) return [];
  return [[at, node], ...Object.entries(node.properties).flatMap(([key, child]) => objectNodes(child, [...at, key]))];
}

function valueAt(object: unknown, keyPath: readonly string[]): unknown {
  return keyPath.reduce<unknown>((o, key) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), object);
}

describe('schema/deploy-checker.schema.json', () => {
  it('is exactly what `npm run schema:config` generates from the zod schema', () => {
    expect(committedText).toBe(renderConfigJsonSchemaText());
  });

  it('rendering is deterministic and pure', () => {
    expect(renderConfigJsonSchemaText()).toBe(renderConfigJsonSchemaText());
    expect(renderConfigJsonSchema()).toEqual(schema);
  });

  it('is a draft 2020-12 schema with an $id at its published address', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(CONFIG_JSON_SCHEMA_URL);
    expect(CONFIG_JSON_SCHEMA_URL.endsWith(`/${CONFIG_JSON_SCHEMA_PATH}`)).toBe(true);
  });

  it('has every top-level section of the zod schema, plus _extends, and nothing else', () => {
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['_extends', ...Object.keys(repoConfigSchema.shape)].sort());
    expect(schema.properties?._extends).toMatchObject({ type: 'string' });
  });

  it('every mapping refuses unknown keys and requires none (every key has a default or is optional)', () => {
    const nodes = objectNodes(schema);
    expect(nodes.length).toBeGreaterThan(10);
    for (const [at, node] of nodes) {
      expect({ at: at.join('.'), additionalProperties: node.additionalProperties }).toEqual({ at: at.join('.'), additionalProperties: false });
      expect({ at: at.join('.'), required: node.required ?? [] }).toEqual({ at: at.join('.'), required: [] });
    }
  });

  it('every default of a key is the default the app uses', () => {
    let leaves = 0;
    for (const [at, node] of objectNodes(schema)) {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (child.properties || !('default' in child)) continue;
        leaves++;
        expect({ key: [...at, key].join('.'), default: child.default }).toEqual({
          key: [...at, key].join('.'),
          default: valueAt(defaultRepoConfig, [...at, key]),
        });
      }
    }
    expect(leaves).toBeGreaterThanOrEqual(20);
  });

  it('keeps the enums, patterns and limits of the validator', () => {
    const p = schema.properties ?? {};
    const section = (name: string) => p[name]?.properties ?? {};
    expect(section('deploy').signal).toMatchObject({ enum: ['push', 'deployment'], default: 'push' });
    expect(section('jira').projects).toMatchObject({ type: 'array', minItems: 1, items: { pattern: '^[A-Z][A-Z0-9_]{0,49}$' } });
    expect(section('jira').projects).not.toHaveProperty('default');
    expect(section('status').context).toMatchObject({ type: 'string', minLength: 1, maxLength: 100, default: 'deploy-checker' });
    expect(section('rules').branchBehind).toMatchObject({ type: 'boolean', default: true });
    expect(section('jira').onDeploy?.properties?.transition?.default).toBeNull();
    for (const [at, node] of objectNodes(schema)) {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        expect({ key: [...at, key].join('.'), described: typeof child.description === 'string' }).toEqual({ key: [...at, key].join('.'), described: true });
      }
    }
  });

  const longContext = 'x'.repeat(101);
  it.each([
    { name: 'an empty file', raw: {} },
    {
      name: 'the README example',
      raw: {
        branches: { deploy: 'deploy', production: 'production' },
        jira: { projects: ['PROJ', 'OPS'], allowedStatuses: ['Ready for Deploy', 'Done'] },
        commits: { exempt: ['^MINOR:', '^Bump '] },
      },
    },
    {
      name: 'the Slack example',
      raw: {
        slack: { channel: 'C0123DEPLOYS' },
        deploy: { signal: 'deployment', environment: 'production' },
        jira: { highRiskValues: ['High'], fields: { riskLevel: 'Risk Level' }, onDeploy: { comment: true, transition: 'Released' } },
      },
    },
    { name: 'every default spelled out', raw: JSON.parse(JSON.stringify(defaultRepoConfig)) as unknown },
    { name: '_extends with own keys', raw: { _extends: 'other-owner/other-repo:path/to/file.yml', jira: { projects: ['SHOP'] } } },
    { name: 'transition: null', raw: { jira: { onDeploy: { transition: null } } } },
    { name: 'an unknown top-level key', raw: { branch: { deploy: 'x' } } },
    { name: 'an unknown nested key', raw: { rules: { branchBehnd: false } } },
    { name: 'a string for a boolean', raw: { rules: { branchBehind: 'yes' } } },
    { name: 'a lower-case project key', raw: { jira: { projects: ['proj'] } } },
    { name: 'an empty project list', raw: { jira: { projects: [] } } },
    { name: 'an empty branch name', raw: { branches: { deploy: '' } } },
    { name: 'an unknown deploy signal', raw: { deploy: { signal: 'release' } } },
    { name: 'a status context over 100 characters', raw: { status: { context: longContext } } },
    { name: 'an empty transition', raw: { jira: { onDeploy: { transition: '' } } } },
    { name: 'a list where a mapping belongs', raw: { slack: ['#deploys'] } },
    { name: 'a number in a string list', raw: { pullRequests: { exemptLabels: [7] } } },
    { name: 'eleven Slack mentions', raw: { slack: { mention: Array.from({ length: 11 }, (_, i) => `S0ONCALL${i}`) } } },
    { name: 'a Slack mention that is not an id', raw: { slack: { mention: ['@oncall'] } } },
    { name: 'two Slack mentions', raw: { slack: { channel: '#deploys', mention: ['S0ONCALL', 'U012AB3CD'] } } },
  ])('agrees with the validator on $name', ({ raw }) => {
    const problems = checkAgainstSchema(schema, raw);
    expect({ valid: problems.length === 0, problems: problems.length ? problems : undefined }).toMatchObject({ valid: parseRepoConfig(raw).ok });
  });

  it('the "every default" YAML of docs/configuration.md passes the schema', () => {
    const doc = readFileSync(path.join(repoRoot, CONFIGURATION_DOC_PATH), 'utf8');
    const block = /## Every default[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    expect(checkAgainstSchema(schema, YAML.parse(block ?? ''))).toEqual([]);
  });

  it('the docs show the yaml-language-server line pointing at the schema', () => {
    expect(YAML_LANGUAGE_SERVER_LINE).toBe(`# yaml-language-server: $schema=${CONFIG_JSON_SCHEMA_URL}`);
    expect(readFileSync(path.join(repoRoot, CONFIGURATION_DOC_PATH), 'utf8')).toContain(`\n${YAML_LANGUAGE_SERVER_LINE}\n`);
    expect(readFileSync(path.join(repoRoot, 'README.md'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\S*schema\/deploy-checker\.schema\.json$/m);
  });
});
