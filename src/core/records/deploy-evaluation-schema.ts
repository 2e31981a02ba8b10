/** A deploy evaluation: the deploy head compared with production, everything it saw and concluded. */
import { z } from 'zod';
import { evaluationFields, pullRequestRefSchema } from './evaluation-parts-schema.js';

export const deployEvaluationSchema = z.object({
  kind: z.literal('deploy'),
  /** The release pull request, when the deploy was checked for one (a pull request whose base is production). */
  pullRequest: pullRequestRefSchema.nullable(),
  ...evaluationFields,
});

export type DeployEvaluation = z.output<typeof deployEvaluationSchema>;
