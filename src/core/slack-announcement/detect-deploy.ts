/**
 * What counts as a deploy (config `deploy.signal`): a push that moves `branches.production`, or a successful
 * `deployment_status` for `deploy.environment`. Parses only the webhook fields it needs. Pure.
 *
 * A webhook is a hint: before announcing, the caller should check that `toSha` is still production's current
 * head (a late redelivery of an old push must not be announced as a rollback).
 */
import { z } from 'zod';
import type { RepoConfig } from '../config/repo-config-schema.js';
import type { RepoRef } from '../domain.js';

export type DeploySignalSource = 'push' | 'deployment_status';

export type DetectedDeploy =
  | {
      readonly kind: 'deploy';
      readonly source: DeploySignalSource;
      readonly repo: RepoRef;
      readonly toSha: string;
      /** The push's `before` (null for a new branch or a deployment): the range start of the very first deploy. */
      readonly beforeSha: string | null;
      readonly deployedBy: string | null;
      /** ISO time from the payload when it has one (deployment status); else null (use the receive time). */
      readonly deployedAt: string | null;
      /** The deployment's environment as GitHub spells it (deployment status); null for a push. */
      readonly environment: string | null;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

const ZERO_SHA = /^0+$/;
const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/i);
const login = z.object({ login: z.string().min(1) }).nullish();
const repository = z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) });

const pushPayload = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  deleted: z.boolean().optional(),
  pusher: z.object({ name: z.string().nullish() }).nullish(),
  sender: login,
  repository,
});

const deploymentStatusPayload = z.object({
  action: z.string().optional(),
  deployment_status: z.object({
    state: z.string(),
    environment: z.string().nullish(),
    created_at: z.string().nullish(),
    creator: login,
  }),
  deployment: z.object({ sha, environment: z.string().nullish(), creator: login }),
  sender: login,
  repository,
});

type DeployConfig = Pick<RepoConfig, 'branches' | 'deploy' | 'slack'>;

function ignored(reason: string): DetectedDeploy {
  return { kind: 'ignored', reason };
}

export function detectDeploy(eventName: string, payload: unknown, config: DeployConfig): DetectedDeploy {
  if (eventName !== 'push' && eventName !== 'deployment_status') return ignored(`event ${eventName} is not a deploy signal`);
  if (!config.slack.channel) return ignored('slack.channel is not configured');
  return detectProductionMove(eventName, payload, config);
}

/** The same classification whether or not Slack is configured: shipments are recorded either way. */
export function detectProductionMove(eventName: string, payload: unknown, config: Pick<RepoConfig, 'branches' | 'deploy'>): DetectedDeploy {
  if (eventName !== 'push' && eventName !== 'deployment_status') return ignored(`event ${eventName} is not a deploy signal`);
  if (eventName === 'push') {
    if (config.deploy.signal !== 'push') return ignored('deploy.signal is "deployment": pushes do not count');
    const parsed = pushPayload.safeParse(payload);
    if (!parsed.success) return ignored('malformed push payload');
    const p = parsed.data;
    if (p.ref !== `refs/heads/${config.branches.production}`) return ignored(`push to ${p.ref}, not to the production branch`);
    if (p.deleted === true || ZERO_SHA.test(p.after)) return ignored('the production branch was deleted');
    if (!sha.safeParse(p.after).success) return ignored('malformed push payload');
    const before = ZERO_SHA.test(p.before) || !sha.safeParse(p.before).success ? null : p.before;
    if (before !== null && before.toLowerCase() === p.after.toLowerCase()) return ignored('the push did not move the branch');
    return {
      kind: 'deploy',
      source: 'push',
      repo: { owner: p.repository.owner.login, repo: p.repository.name },
      toSha: p.after.toLowerCase(),
      beforeSha: before?.toLowerCase() ?? null,
      deployedBy: p.pusher?.name || p.sender?.login || null,
      deployedAt: null,
      environment: null,
    };
  }
  if (config.deploy.signal !== 'deployment') return ignored('deploy.signal is "push": deployment statuses do not count');
  const parsed = deploymentStatusPayload.safeParse(payload);
  if (!parsed.success) return ignored('malformed deployment_status payload');
  const p = parsed.data;
  if (p.deployment_status.state !== 'success') return ignored(`deployment state ${p.deployment_status.state}`);
  const environment = p.deployment_status.environment ?? p.deployment.environment ?? '';
  if (environment.toLowerCase() !== config.deploy.environment.toLowerCase()) {
    return ignored(`deployment to environment "${environment}", not "${config.deploy.environment}"`);
  }
  const createdAt = p.deployment_status.created_at;
  return {
    kind: 'deploy',
    source: 'deployment_status',
    repo: { owner: p.repository.owner.login, repo: p.repository.name },
    toSha: p.deployment.sha.toLowerCase(),
    beforeSha: null,
    deployedBy: p.deployment.creator?.login || p.deployment_status.creator?.login || p.sender?.login || null,
    deployedAt: createdAt && !Number.isNaN(Date.parse(createdAt)) ? new Date(createdAt).toISOString() : null,
    environment,
  };
}
