/**
 * The parts every stored evaluation (deploy or pull request) is made of: commits, ticket snapshots, rich text,
 * findings, states and triggers. One zod schema per shape; the types in src/core/domain.ts are derived from them,
 * stored JSON is parsed with them and schema/deploy-report.schema.json is generated from them.
 */
import { z } from 'zod';

export const repoRefSchema = z.object({
  owner: z.string().min(1),
  repo: z.string().min(1),
});

export const commitInfoSchema = z.object({
  sha: z.string().min(1),
  message: z.string().describe('Full commit message: subject and body. Attacker-controlled text.'),
  authorLogin: z.string().nullable(),
  authorName: z.string().nullable(),
  date: z.string().nullable().describe('ISO 8601 author date, when known.'),
  parents: z.array(z.string()),
  url: z.string().nullable().optional().describe('Link to the commit on GitHub, when known.'),
});

/**
 * Rich text reduced to a portable block list, from Atlassian Document Format (API v3), wiki markup (API v2),
 * plain strings, select options or arrays. Inline formatting is dropped; link targets are kept as text.
 */
export const richBlockSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('paragraph'), text: z.string() }),
    z.object({ type: z.literal('heading'), text: z.string() }),
    z.object({ type: z.literal('list'), ordered: z.boolean(), items: z.array(z.string()) }),
    z.object({ type: z.literal('code'), text: z.string() }),
    z.object({ type: z.literal('quote'), text: z.string() }),
  ])
  .describe('A block of rich text (from ADF, wiki markup, plain text or options); inline formatting dropped, link targets kept as text.');
export const richDocSchema = z.array(richBlockSchema);

/** What the report keeps of a JIRA ticket: only the fields the rules and pages use. */
export const ticketSnapshotSchema = z
  .object({
    key: z.string().min(1),
    summary: z.string(),
    type: z.string().nullable(),
    status: z.string().nullable(),
    assignee: z.string().nullable(),
    riskAssessment: richDocSchema,
    postDeployChecks: richDocSchema,
    riskLevel: z.string().nullable().describe('Value of the optional `jira.fields.riskLevel` field, as text.'),
    url: z.string().describe('Browse URL of the ticket in JIRA.'),
  })
  .describe('What the report keeps of a JIRA ticket: only the fields the rules and pages use.');

export const ruleIdSchema = z.enum([
  'commit-without-ticket',
  'unknown-ticket',
  'ticket-status',
  'risk-assessment',
  'post-deploy-checks',
  'branch-behind',
  'pull-request-without-ticket',
]);

/** One problem found by a rule. `summary` is short (it can end up in a 140-char status); `fix` says what to do. */
export const findingSchema = z
  .object({
    rule: ruleIdSchema,
    summary: z.string(),
    fix: z.string(),
    ticketKey: z.string().optional(),
    commitSha: z.string().optional(),
  })
  .describe('One problem found by a rule: `summary` is short (it can end up in a 140-character status); `fix` says what to do.');

export const reportStateSchema = z.enum(['success', 'failure', 'error']);

/** What caused an evaluation; 'reconcile': the periodic sweep that catches missed webhooks and interrupted checks. */
export const reportTriggerSchema = z
  .enum(['push', 'pull_request', 'recheck', 'jira', 'reconcile', 'cli', 'protection_rule'])
  .describe(
    "What caused the evaluation; 'reconcile': the periodic sweep that catches missed webhooks and interrupted checks; 'protection_rule': a deployment protection rule request.",
  );

export const compareStatusSchema = z.enum(['ahead', 'behind', 'diverged', 'identical']);

export const reportTicketSchema = z.object({
  key: z.string().min(1),
  ticket: ticketSnapshotSchema.nullable().describe('Null when JIRA does not know the key (or ticket checks were skipped).'),
  commitShas: z.array(z.string()).describe('Commits that ship this ticket, oldest first.'),
});

export const pullRequestRefSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  url: z.string().nullable(),
});

/** The fields every evaluation has, whatever its kind. */
export const evaluationFields = {
  repo: repoRefSchema,
  baseBranch: z.string(),
  headBranch: z.string(),
  baseSha: z
    .string()
    .min(1)
    .nullable()
    .describe('What the head was compared with (production for a deploy, the base branch for a pull request); null when unknown.'),
  headSha: z.string().min(1),
  trigger: reportTriggerSchema,
  evaluatedAt: z.string().describe('ISO 8601 time of the evaluation.'),
  state: reportStateSchema,
  error: z.string().nullable().describe("When state is 'error': why nothing could be concluded."),
  compare: z.object({ status: compareStatusSchema, aheadBy: z.number().int().nonnegative(), behindBy: z.number().int().nonnegative() }).nullable(),
  commits: z.array(commitInfoSchema),
  tickets: z.array(reportTicketSchema),
  reverted: z
    .array(z.object({ key: z.string(), commitShas: z.array(z.string()) }))
    .describe('Tickets whose change the evaluation takes out, with the reverting commits.'),
  commitsWithoutTicket: z
    .array(z.object({ sha: z.string(), exemptReason: z.string().nullable() }))
    .describe('Commits that reference no ticket (exempt or not).'),
  findings: z.array(findingSchema),
  ticketChecksSkipped: z.boolean().describe('True when ticket lookups were skipped (no JIRA configured: CLI only).'),
  statusDescription: z.string().describe('Commit status description that was (or would be) posted.'),
  truncatedMessages: z
    .array(z.string())
    .optional()
    .describe(
      'Commits whose message was longer than the scan limit (64 KB): only its start was read for keys, reverts and exemptions. Absent when there are none.',
    ),
  highRiskKeys: z
    .array(z.string())
    .optional()
    .describe('Keys of the tickets whose risk level is one of jira.highRiskValues (absent in reports stored before it existed).'),
  commitsPruned: z.boolean().optional().describe('True when retention emptied `commits` of this old evaluation (the counts and tickets are kept).'),
};
