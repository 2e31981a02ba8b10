/** A deploy evaluation: the deploy head compared with production, everything it saw and concluded. */
import { z } from 'zod';
import { evaluationFields, pullRequestRefSchema } from './evaluation-parts-schema.js';

export const deployEvaluationSchema = z
  .object({
    kind: z.literal('deploy'),
    pullRequest: pullRequestRefSchema
      .nullable()
      .describe('The release pull request, when the deploy was checked for one (a pull request whose base is production).'),
    ...evaluationFields,
  })
  .describe('A deploy evaluation: the deploy head compared with production, everything it saw and concluded.');

export type DeployEvaluation = z.output<typeof deployEvaluationSchema>;
