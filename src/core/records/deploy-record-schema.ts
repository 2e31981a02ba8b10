/**
 * Every stored record in one discriminated union on `kind`: a deploy evaluation, a pull-request evaluation or a
 * shipment. It gives the types (src/core/domain.ts), validates stored JSON (src/store) and is published as
 * schema/deploy-report.schema.json (scripts/generate-report-schema.ts). Pure.
 */
import { z } from 'zod';
import { deployEvaluationSchema } from './deploy-evaluation-schema.js';
import { pullRequestEvaluationSchema } from './pull-request-evaluation-schema.js';
import { shipmentRecordSchema } from './shipment-record.js';
import { upgradeStoredReport } from './upgrade-stored-report.js';

/** An evaluation (what the store's reports table holds and the report page shows). */
export const evaluationSchema = z.discriminatedUnion('kind', [deployEvaluationSchema, pullRequestEvaluationSchema]);

/** The kinds of evaluation, as the store's `kind` column holds them. */
export const reportKindSchema = z.union([deployEvaluationSchema.shape.kind, pullRequestEvaluationSchema.shape.kind]);

export const deployRecordSchema = z.discriminatedUnion('kind', [deployEvaluationSchema, pullRequestEvaluationSchema, shipmentRecordSchema]);

export type Evaluation = z.output<typeof evaluationSchema>;
export type DeployRecord = z.output<typeof deployRecordSchema>;

/** "headSha: Invalid input: expected string, received undefined; findings.0.rule: …" (at most five issues). */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/**
 * A stored evaluation (already JSON-parsed), upgraded from older field names when needed and validated; throws an
 * error naming the offending fields when it is not an evaluation.
 */
export function parseStoredEvaluation(value: unknown): Evaluation {
  const parsed = evaluationSchema.safeParse(upgradeStoredReport(value));
  if (!parsed.success) throw new Error(`stored report is not a valid evaluation: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
