/** A pull-request evaluation: the ticket check of one pull request's head against its base branch. */
import { z } from 'zod';
import { evaluationFields, pullRequestRefSchema } from './evaluation-parts-schema.js';

export const pullRequestEvaluationSchema = z.object({
  kind: z.literal('pull_request'),
  /** Always present: the pull request this evaluation is about. */
  pullRequest: pullRequestRefSchema,
  ...evaluationFields,
});

export type PullRequestEvaluation = z.output<typeof pullRequestEvaluationSchema>;
