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
  readonly additionalProperties?: SchemaNode | boolean;
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
  // A mapping keyed by name (environments): the keys of each entry.
  const each = node.additionalProperties;
  if (typeof each === 'object' && isObjectNode(each)) sectionTables(each, `${keyPath}.<name>`, depth + 1, out);
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

/** How to make deploy-checker a deployment protection rule (the `environments` key). */
const PROTECTION_RULE_SECTION: readonly string[] = [
  '## Gate deployments with a protection rule',
  '',
  'deploy-checker can approve or reject a deployment itself, as a custom deployment protection rule of a GitHub',
  'environment:',
  '',
  '1. The App needs the `deployment_protection_rule` event and the `actions: read`, `checks: read` and',
  '   `deployments: write` permissions (in app.yml; an existing installation must accept the new permissions).',
  '2. In the repository: Settings → Environments → the environment → Deployment protection rules → enable',
  '   deploy-checker → Save protection rules.',
  '3. List the environment under `environments` in the config, for example:',
  '',
  '```yaml',
  'environments:',
  '  production:',
  '    onProblems: wait   # hold the deployment until the tickets are fixed (default: reject)',
  '    maxWait: 24h       # then reject it with the reason',
  '    approvers: [S0RELEASE]   # optional: a human decides in Slack (needs slack.channel)',
  '    rules:',
  '      commitWithoutTicket: false',
  '```',
  '',
  "The deployment's SHA is checked against what is live in that environment — the SHA of the environment's",
  'latest successful GitHub deployment, else the head of `branches.production` — with the same rules (plus the',
  "environment's `rules` overrides); the evaluation is stored and shown on the same report page. The answer:",
  '',
  '- environment not listed → approved, with a comment saying it is not gated by deploy-checker;',
  '- no problems and no `approvers` → approved, the comment links the report;',
  '- problems → rejected naming them (`onProblems: reject`), or held (`wait`): re-evaluated whenever one of its',
  '  JIRA tickets changes and every `PROTECTION_RECHECK_INTERVAL_MS` (default 5 minutes), approved once clean,',
  '  rejected with the problems after `maxWait`;',
  '- `approvers` set → every deployment, even a clean one, waits for an approver in Slack (the request is posted',
  '  to `slack.channel`); rejected after `maxWait` when nobody decides;',
  '- **JIRA or GitHub unreachable** (the evaluation ends in `error`) → never approved: held and retried, rejected',
  '  with the reason after `maxWait`;',
  '- **invalid config file** → never approved either (an invalid file must not open the gate): held and retried',
  '  (fix the file and it is picked up), rejected with the config error after 24h.',
  '',
  'Each request is recorded once per (repository, workflow run, environment): a redelivered webhook is answered',
  'once; every answer is recorded with who decided (deploy-checker or the Slack user), when and why.',
  '',
];

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

  out.push(...PROTECTION_RULE_SECTION);
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
