/**
 * The shapes of the GitHub webhook payloads the app reads, checked at the webhook edge before anything is enqueued.
 * Only the fields the handlers use are required; everything else passes through untouched. A payload that does
 * not match is refused with HTTP 400 (WebhookPayloadError carries the status @octokit/webhooks answers with).
 */
import { z } from 'zod';

const repository = z.looseObject({
  name: z.string().min(1),
  owner: z.looseObject({ login: z.string().min(1) }),
});

const positiveInteger = z.number().int().positive();

/** The App installation the delivery is for: jobs get that installation's Octokit. */
const installation = z.looseObject({ id: positiveInteger }).nullish();

export const pushWebhookPayload = z.looseObject({
  ref: z.string().min(1),
  after: z.string(),
  deleted: z.boolean().optional(),
  repository,
  installation,
});

export const pullRequestWebhookPayload = z.looseObject({
  action: z.string(),
  pull_request: z.looseObject({ number: positiveInteger }),
  changes: z.record(z.string(), z.unknown()).optional(),
  repository,
  installation,
});

export const issueCommentWebhookPayload = z.looseObject({
  issue: z.looseObject({ number: positiveInteger, pull_request: z.unknown().optional() }),
  comment: z.looseObject({
    id: positiveInteger,
    body: z.string(),
    user: z.looseObject({ login: z.string(), type: z.string().optional() }).nullable().optional(),
  }),
  repository,
  installation,
});

export const deploymentStatusWebhookPayload = z.looseObject({
  deployment: z.looseObject({ sha: z.string().min(1) }),
  deployment_status: z.looseObject({ state: z.string() }),
  repository,
  installation,
});

/** deployment_protection_rule.requested: the run id is in `deployment_callback_url` (hostile input, checked by the handler). */
export const deploymentProtectionRuleRequestedWebhookPayload = z.looseObject({
  action: z.literal('requested'),
  environment: z.string().min(1).max(255),
  event: z.string().optional(),
  deployment_callback_url: z.string().min(1).max(2000),
  deployment: z.looseObject({
    sha: z.string().regex(/^[0-9a-f]{40}$/, 'must be a full commit SHA'),
    ref: z.string().nullish(),
    environment: z.string().optional(),
    creator: z.looseObject({ login: z.string() }).nullish(),
  }),
  repository,
  installation,
});

/** A pull request as listed on a check run or check suite (only those of this repository are listed). */
const checkPullRequest = z.looseObject({ number: positiveInteger });

/** check_run.requested_action / check_run.rerequested: the run (its head and pull requests) and, for an action, which. */
export const checkRunWebhookPayload = z.looseObject({
  action: z.string(),
  check_run: z.looseObject({
    name: z.string(),
    head_sha: z.string().regex(/^[0-9a-f]{40}$/i),
    pull_requests: z.array(checkPullRequest).default([]),
  }),
  requested_action: z.looseObject({ identifier: z.string() }).nullish(),
  repository,
  installation,
});

/** check_suite.rerequested: the suite's head and pull requests. */
export const checkSuiteWebhookPayload = z.looseObject({
  action: z.string(),
  check_suite: z.looseObject({
    head_sha: z.string().regex(/^[0-9a-f]{40}$/i),
    pull_requests: z.array(checkPullRequest).default([]),
  }),
  repository,
  installation,
});
export type DeploymentProtectionRuleRequestedPayload = z.output<typeof deploymentProtectionRuleRequestedWebhookPayload>;

/** A webhook payload that does not have the shape its event promises. `status` makes @octokit/webhooks answer 400. */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';
  readonly status = 400;
}

export type PayloadCheck<T> = { readonly ok: true; readonly payload: T } | { readonly ok: false; readonly problems: string[] };

/** Checks a payload against its schema; on failure, the offending fields as `path: message` (at most five). */
export function checkWebhookPayload<T>(schema: z.ZodType<T>, payload: unknown): PayloadCheck<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, payload: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`),
  };
}
