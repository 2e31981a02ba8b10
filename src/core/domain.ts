/**
 * The domain model shared by the core and every edge. Plain data only (JSON-serialisable), so a report can be
 * stored, served as JSON and rendered without conversion.
 */
import type { z } from 'zod';
import type {
  commitInfoSchema,
  findingSchema,
  reportStateSchema,
  reportTicketSchema,
  reportTriggerSchema,
  richBlockSchema,
  ruleIdSchema,
  ticketSnapshotSchema,
} from './records/evaluation-parts-schema.js';
import type { deployEvaluationSchema } from './records/deploy-evaluation-schema.js';
import type { pullRequestEvaluationSchema } from './records/pull-request-evaluation-schema.js';
import type { evaluationSchema } from './records/deploy-record-schema.js';

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/** The result of comparing production with the deploy head, all pages read. */
export interface DeployRange {
  readonly baseBranch: string;
  readonly headBranch: string;
  readonly baseSha: string;
  readonly headSha: string;
  /** GitHub compare status. */
  readonly status: 'ahead' | 'behind' | 'diverged' | 'identical';
  readonly aheadBy: number;
  readonly behindBy: number;
  /** Commits on the deploy side that production lacks, oldest first. */
  readonly commits: readonly CommitInfo[];
}

/**
 * The stored shapes are defined once, as zod schemas in src/core/records/, and their types derived here (the names
 * the rest of the code uses), read-only all the way down like the rest of the model. See
 * src/core/records/deploy-record-schema.ts.
 */
export type ReadonlyData<T> = T extends readonly (infer Item)[]
  ? readonly ReadonlyData<Item>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyData<T[K]> }
    : T;

export type CommitInfo = ReadonlyData<z.output<typeof commitInfoSchema>>;
export type RichBlock = ReadonlyData<z.output<typeof richBlockSchema>>;
export type RichDoc = readonly RichBlock[];
export type TicketSnapshot = ReadonlyData<z.output<typeof ticketSnapshotSchema>>;
export type RuleId = z.output<typeof ruleIdSchema>;
export type Finding = ReadonlyData<z.output<typeof findingSchema>>;
export type ReportState = z.output<typeof reportStateSchema>;
export type ReportTrigger = z.output<typeof reportTriggerSchema>;
export type ReportTicket = ReadonlyData<z.output<typeof reportTicketSchema>>;
export type DeployEvaluation = ReadonlyData<z.output<typeof deployEvaluationSchema>>;
/** A pull-request evaluation: `pullRequest` is always present. */
export type PullRequestEvaluation = ReadonlyData<z.output<typeof pullRequestEvaluationSchema>>;
/** A stored evaluation, deploy or pull request: everything one evaluation saw and concluded. */
export type DeployReport = ReadonlyData<z.output<typeof evaluationSchema>>;
