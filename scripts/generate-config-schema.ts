/**
 * Generates schema/deploy-checker.schema.json, the JSON Schema of `.github/deploy-checker.yml`, from the zod schema
 * (src/core/config/repo-config-schema.ts) — the input side, since every key with a default may be left out. Editors
 * with the YAML language server validate and complete the file with it:
 *
 *   # yaml-language-server: $schema=https://raw.githubusercontent.com/deploy-checker/deploy-checker/main/schema/deploy-checker.schema.json
 *
 *   npm run schema:config      # writes schema/deploy-checker.schema.json
 *
 * test/core/config-json-schema.test.ts compares the committed file with `renderConfigJsonSchema()`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { repoConfigSchema } from '../src/core/config/repo-config-schema.js';

export const CONFIG_JSON_SCHEMA_PATH = 'schema/deploy-checker.schema.json';

/** Where the published schema is served from: the file on the default branch of the repository (app.yml `url`). */
export const CONFIG_JSON_SCHEMA_URL = `https://raw.githubusercontent.com/deploy-checker/deploy-checker/main/${CONFIG_JSON_SCHEMA_PATH}`;

/** The modeline that points the YAML language server (VS Code, IntelliJ, Neovim…) at the published schema. */
export const YAML_LANGUAGE_SERVER_LINE = `# yaml-language-server: $schema=${CONFIG_JSON_SCHEMA_URL}`;

/**
 * `_extends` is read (and removed) before validation, like Probot's `context.config`, so the zod schema does not
 * know it; the published schema must accept it, or every file that inherits org defaults would be flagged.
 */
const extendsProperty = {
  type: 'string',
  minLength: 1,
  description:
    "Read this file first and lay this repository's keys on top: `.github` (the owner's .github repository), `other-repo`, `other-owner/other-repo` or `other-repo:path/to/file.yml`.",
} as const;

/** The JSON Schema document. Pure: reads nothing, writes nothing. */
export function renderConfigJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(repoConfigSchema, { io: 'input' }) as Record<string, unknown> & {
    properties?: Record<string, unknown>;
  };
  const { $schema, properties, ...rest } = generated;
  return {
    $schema,
    $id: CONFIG_JSON_SCHEMA_URL,
    title: '.github/deploy-checker.yml',
    description:
      'Per-repository configuration of deploy-checker. Generated from src/core/config/repo-config-schema.ts by `npm run schema:config`; every key is optional. See docs/configuration.md.',
    ...rest,
    properties: { _extends: extendsProperty, ...properties },
  };
}

/** The file's text: two-space indented JSON and a final newline. */
export function renderConfigJsonSchemaText(): string {
  return `${JSON.stringify(renderConfigJsonSchema(), null, 2)}\n`;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const target = path.join(repoRoot, CONFIG_JSON_SCHEMA_PATH);
  writeFileSync(target, renderConfigJsonSchemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}
