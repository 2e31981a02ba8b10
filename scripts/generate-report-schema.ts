/**
 * Generates schema/deploy-report.schema.json, the JSON Schema of the stored records — a deploy evaluation, a
 * pull-request evaluation or a shipment — from the zod schema (src/core/records/deploy-record-schema.ts), the output
 * side: what the store holds, `deploy-checker check --format json` prints and the report pages serve as JSON.
 *
 *   npm run schema:report      # writes schema/deploy-report.schema.json
 *
 * test/core/report-json-schema.test.ts compares the committed file with `renderReportJsonSchemaText()`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { deployRecordSchema } from '../src/core/records/deploy-record-schema.js';

export const REPORT_JSON_SCHEMA_PATH = 'schema/deploy-report.schema.json';

/** Where the published schema is served from: the file on the default branch of the repository (app.yml `url`). */
export const REPORT_JSON_SCHEMA_URL = `https://raw.githubusercontent.com/deploy-checker/deploy-checker/main/${REPORT_JSON_SCHEMA_PATH}`;

/** The JSON Schema document. Pure: reads nothing, writes nothing. */
export function renderReportJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(deployRecordSchema, { io: 'output' }) as Record<string, unknown>;
  return {
    $schema,
    $id: REPORT_JSON_SCHEMA_URL,
    title: 'deploy-checker record',
    description:
      'A stored deploy-checker record, by `kind`: a deploy evaluation, a pull-request evaluation (the report JSON of `deploy-checker check --format json` and of the report pages) or a shipment. Generated from src/core/records/deploy-record-schema.ts by `npm run schema:report`.',
    ...rest,
  };
}

/** The file's text: two-space indented JSON and a final newline. */
export function renderReportJsonSchemaText(): string {
  return `${JSON.stringify(renderReportJsonSchema(), null, 2)}\n`;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const target = path.join(repoRoot, REPORT_JSON_SCHEMA_PATH);
  writeFileSync(target, renderReportJsonSchemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}
