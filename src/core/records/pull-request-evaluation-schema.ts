/** A pull-request evaluation: the ticket check of one pull request's head against its base branch. */
import { z } from 'zod';
import { evaluationFields, pullRequestRefSchema } from './evaluation-parts-schema.js';

export const pullRequestEvaluationSchema = z
  .object({
    kind: z.literal('pull_request'),
    pullRequest: pullRequestRefSchema.describe('Always present: the pull request this evaluation is about.'),
    ...evaluationFields,
  })
  .describe("A pull-request evaluation: the ticket check of a pull request's head against its base branch.");

export type PullRequestEvaluation = z.output<typeof pullRequestEvaluationSchema>;
