import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { defaultRepoConfig, parseRepoConfig, repoConfigSchema } from '../../src/core/config/repo-config-schema.js';
import { CONFIGURATION_DOC_PATH, renderConfigurationDoc } from '../../scripts/generate-config-docs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const committed = readFileSync(path.join(repoRoot, CONFIGURATION_DOC_PATH), 'utf8');
const rendered = renderConfigurationDoc();

function yamlBlockAfter(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const match = /```yaml\n([\s\S]*?)```/.exec(markdown.slice(start));
  if (!match?.[1]) throw new Error(`no yaml block after ${heading}`);
  return match[1];
}

/** Every key path of the schema: "branches", "branches.deploy", … */
function keyPaths(shape: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(shape).flatMap(([key, value]) => {
    const here = `${prefix}${key}`;
    let inner: unknown = value;
    // Unwrap defaults, prefaults and optionals down to an object schema, if there is one.
    for (let i = 0; i < 5 && inner && typeof inner === 'object' && 'unwrap' in inner && typeof inner.unwrap === 'function'; i++) {
      inner = (inner as { unwrap: () => unknown }).unwrap();
    }
    const nested = inner && typeof inner === 'object' && 'shape' in inner ? (inner as { shape: Record<string, unknown> }).shape : null;
    return nested ? [here, ...keyPaths(nested, `${here}.`)] : [here];
  });
}

describe('docs/configuration.md', () => {
  it('is exactly what `npm run docs:config` generates from the schema', () => {
    expect(committed).toBe(rendered);
  });

  it('rendering is deterministic', () => {
    expect(renderConfigurationDoc()).toBe(rendered);
  });

  it('documents every key of the schema by its path', () => {
    const paths = keyPaths(repoConfigSchema.shape);
    expect(paths).toContain('jira.fields.riskAssessment');
    for (const p of paths) expect(rendered).toContain(`\`${p}\``);
  });

  it('the "every default" example is a valid file that gives exactly the defaults', () => {
    const raw: unknown = YAML.parse(yamlBlockAfter(rendered, '## Every default'));
    expect(parseRepoConfig(raw)).toEqual({ ok: true, config: defaultRepoConfig });
    expect(raw).toEqual(JSON.parse(JSON.stringify(defaultRepoConfig)));
  });

  it('the org-defaults example is a valid file', () => {
    const raw: unknown = YAML.parse(yamlBlockAfter(rendered, '## Example: inherit org defaults'));
    expect(raw).toMatchObject({ _extends: '.github' });
    expect(parseRepoConfig(raw).ok).toBe(true);
  });

  it('explains the location, _extends and the error status naming the key', () => {
    expect(rendered).toContain('`.github/deploy-checker.yml`');
    expect(rendered).toContain('`_extends: .github`');
    expect(rendered).toContain('Could not check: invalid .github/deploy-checker.yml: rules.branchBehind:');
  });
});
