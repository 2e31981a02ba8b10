/**
 * Generates docs/configuration.md from the zod schema of `.github/deploy-checker.yml`
 * (src/core/config/repo-config-schema.ts), so that the page cannot drift from the validator.
 *
 *   npm run docs:config        # writes docs/configuration.md
 *
 * test/core/configuration-doc.test.ts compares the committed page with `renderConfigurationDoc()`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { z } from 'zod';
import { parseRepoConfig, repoConfigSchema } from '../src/core/config/repo-config-schema.js';
import { errorDescription } from '../src/core/report/status-description.js';
import { CONFIG_JSON_SCHEMA_PATH, YAML_LANGUAGE_SERVER_LINE } from './generate-config-schema.js';

export const CONFIG_FILE = '.github/deploy-checker.yml';
export const CONFIGURATION_DOC_PATH = 'docs/configuration.md';

/** The parts of a JSON Schema node (as produced by `z.toJSONSchema`) that the page shows. */
interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly pattern?: string;
}

const isObjectNode = (node: SchemaNode): boolean => node.type === 'object' && node.properties !== undefined;

/** What a string must look like: "non-empty", "at most 100 characters", "matching `…`". */
function stringConstraints(node: SchemaNode): string[] {
  const out: string[] = [];
  if (node.minLength === 1) out.push('non-empty');
  else if (node.minLength !== undefined) out.push(`at least ${node.minLength} characters`);
  if (node.maxLength !== undefined) out.push(`at most ${node.maxLength} characters`);
  return out;
}

function typeText(node: SchemaNode): string {
  if (node.anyOf) return node.anyOf.map(typeText).join(' or ');
  if (node.enum) return `one of ${node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`;
  if (node.type === 'null') return '`null`';
  if (node.type === 'array') {
    const items = node.items ? itemsText(node.items) : 'values';
    const min = node.minItems ? `, at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}` : '';
    return `list of ${items}${min}`;
  }
  const extra = [...stringConstraints(node), ...(node.pattern ? [`matching \`${node.pattern}\``] : [])];
  return extra.length ? `${node.type ?? 'any'} (${extra.join(', ')})` : (node.type ?? 'any');
}

/** List items in the plural: "non-empty strings", "strings matching `…`". */
function itemsText(node: SchemaNode): string {
  if (node.type !== 'string' || node.enum) return typeText(node);
  const before = stringConstraints(node).filter((c) => c === 'non-empty');
  const after = stringConstraints(node).filter((c) => c !== 'non-empty');
  if (node.pattern) after.push(`matching \`${node.pattern}\``);
  return [...before, 'strings', ...(after.length ? [`(${after.join(', ')})`] : [])].join(' ');
}

function defaultText(node: SchemaNode): string {
  if (!('default' in node)) return '*not set*';
  const value = node.default;
  const json = Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(value);
  return `\`${json}\``;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function sectionTables(node: SchemaNode, keyPath: string, depth: number, out: string[]): void {
  out.push(`${'#'.repeat(depth)} \`${keyPath}\``, '');
  if (node.description) out.push(node.description, '');
  const entries = Object.entries(node.properties ?? {});
  const leaves = entries.filter(([, child]) => !isObjectNode(child));
  if (leaves.length) {
    out.push('| Key | Type | Default | Description |', '|---|---|---|---|');
    for (const [key, child] of leaves) {
      out.push(`| \`${keyPath}.${key}\` | ${cell(typeText(child))} | ${cell(defaultText(child))} | ${cell(child.description ?? '')} |`);
    }
    out.push('');
  }
  for (const [key, child] of entries) {
    if (isObjectNode(child)) sectionTables(child, `${keyPath}.${key}`, depth + 1, out);
  }
}

function yamlValue(value: unknown): string {
  return YAML.stringify(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

function hasLeafDefault(node: SchemaNode): boolean {
  return Object.values(node.properties ?? {}).some((child) => (isObjectNode(child) ? hasLeafDefault(child) : 'default' in child));
}

function exampleYaml(node: SchemaNode, indent: string, out: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (isObjectNode(child)) {
      // A section whose keys all lack a default is written as an empty mapping (a bare `key:` would be null).
      out.push(hasLeafDefault(child) ? `${indent}${key}:` : `${indent}${key}: {}`);
      exampleYaml(child, `${indent}  `, out);
    } else if ('default' in child) {
      out.push(`${indent}${key}: ${yamlValue(child.default)}`);
    } else {
      out.push(`${indent}# ${key}: (not set)`);
    }
  }
}

/** The Markdown of docs/configuration.md. Pure: reads nothing, writes nothing. */
export function renderConfigurationDoc(): string {
  const root = z.toJSONSchema(repoConfigSchema, { io: 'input' }) as SchemaNode;
  const invalid = parseRepoConfig({ rules: { branchBehind: 'yes' } });
  const invalidStatus = errorDescription(`invalid ${CONFIG_FILE}: ${invalid.ok ? '' : invalid.error}`);

  const out: string[] = [
    '# Configuration',
    '',
    '<!-- Generated from src/core/config/repo-config-schema.ts by `npm run docs:config`. Do not edit by hand:',
    '     test/core/configuration-doc.test.ts fails when this page and the schema disagree. -->',
    '',
    `Each repository configures deploy-checker in \`${CONFIG_FILE}\` on its default branch. Every key is`,
    'optional: a missing file, section or key takes the default shown below.',
    '',
    "- **Org-wide defaults.** The file is read like Probot's `context.config`. A repository without the file",
    "  uses the same file of the owner's `.github` repository, if there is one. A file can build on another one",
    "  with `_extends`: `_extends: .github` (the owner's `.github` repository), `_extends: other-repo`,",
    '  `_extends: other-owner/other-repo` or `_extends: other-repo:path/to/file.yml`. The extended file is read',
    "  first and the repository's own keys are laid on top: nested mappings merge key by key, lists and single",
    '  values replace the inherited ones. `_extends` itself is not validated.',
    '- **Validation.** Unknown keys, wrong types, invalid regular expressions and lower-case project keys are',
    '  errors. With an invalid file nothing is checked: the deploy gets an `error` commit status that names',
    '  the key, for example',
    '',
    `  > ${invalidStatus}`,
    '',
    '  (descriptions are cut to 140 characters; the report page shows the whole message). Branch names are',
    '  still read from an invalid file when they are plain strings, so the error lands on the right branch.',
    `- **Editor support.** [\`${CONFIG_JSON_SCHEMA_PATH}\`](../${CONFIG_JSON_SCHEMA_PATH}) is the JSON Schema of the`,
    '  file, generated from the same zod schema (`npm run schema:config`). With the YAML language server (VS Code,',
    '  IntelliJ, Neovim…) the `# yaml-language-server:` line at the top of the example below gives completion, these',
    '  descriptions on hover and most errors while typing (`$schema=` also takes a relative path to a local copy).',
    '  The app has the last word: the schema cannot tell, say, whether a pattern is a valid regular expression.',
    '',
    '## Example: inherit org defaults',
    '',
    '```yaml',
    YAML_LANGUAGE_SERVER_LINE,
    `# ${CONFIG_FILE} in acme/shop`,
    '_extends: .github',
    'jira:',
    '  projects: [SHOP]',
    'commits:',
    '  exempt: ["^MINOR:", "^Bump "]',
    '```',
    '',
    '## Keys',
    '',
  ];
  for (const [key, section] of Object.entries(root.properties ?? {})) sectionTables(section, key, 3, out);

  out.push('## Every default', '', `A \`${CONFIG_FILE}\` that spells out every default (keys without a default are commented out):`, '', '```yaml');
  exampleYaml(root, '', out);
  out.push('```', '');
  return out.join('\n');
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const target = path.join(repoRoot, CONFIGURATION_DOC_PATH);
  writeFileSync(target, renderConfigurationDoc());
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}
