import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { RepoConfigInput } from '../../src/core/config/repo-config-schema.js';
import { repoConfigSchema } from '../../src/core/config/repo-config-schema.js';
import { detectDeploy } from '../../src/core/slack-announcement/detect-deploy.js';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
const examplesOf = (name: string) => examples.find((e) => e.name === name)!.examples;

/** The official example push to refs/heads/master (a new branch: before is all zeros). */
const pushExample = examplesOf('push').find((e) => e['ref'] === 'refs/heads/master')!;
const deploymentSuccess = examplesOf('deployment_status').find((e) => (e['deployment_status'] as { state: string }).state === 'success')!;

const config = (input: RepoConfigInput = {}) => repoConfigSchema.parse({ slack: { channel: 'C0DEPLOYS' }, branches: { production: 'master' }, ...input });

const BEFORE = 'a'.repeat(40);
const AFTER = 'b'.repeat(40);
const push = (overrides: Record<string, unknown> = {}) => ({ ...pushExample, before: BEFORE, after: AFTER, created: false, ...overrides });

describe('detectDeploy: push', () => {
  it('takes a push that moves the production branch', () => {
    expect(detectDeploy('push', push(), config())).toEqual({
      kind: 'deploy',
      source: 'push',
      repo: { owner: 'Codertocat', repo: 'Hello-World' },
      toSha: AFTER,
      beforeSha: BEFORE,
      deployedBy: 'Codertocat',
      deployedAt: null,
      environment: null,
    });
  });

  it('has no range start when the branch is new (the official example)', () => {
    const d = detectDeploy('push', pushExample, config());
    expect(d).toMatchObject({ kind: 'deploy', beforeSha: null, toSha: pushExample['after'] });
  });

  it.each<[string, unknown, RepoConfigInput, string]>([
    ['another branch', push({ ref: 'refs/heads/deploy' }), {}, 'push to refs/heads/deploy, not to the production branch'],
    ['a tag', push({ ref: 'refs/tags/master' }), {}, 'push to refs/tags/master, not to the production branch'],
    ['a deletion', push({ after: '0'.repeat(40), deleted: true }), {}, 'the production branch was deleted'],
    ['a no-op', push({ after: BEFORE }), {}, 'the push did not move the branch'],
    ['signal deployment', push(), { deploy: { signal: 'deployment' } }, 'deploy.signal is "deployment": pushes do not count'],
    ['no channel', push(), { slack: {} }, 'slack.channel is not configured'],
    ['a malformed payload', { ref: 'refs/heads/master' }, {}, 'malformed push payload'],
    ['a malformed sha', push({ after: 'not-a-sha' }), {}, 'malformed push payload'],
  ])('ignores %s', (_name, payload, cfg, reason) => {
    expect(detectDeploy('push', payload, config(cfg))).toEqual({ kind: 'ignored', reason });
  });
});

describe('detectDeploy: deployment_status', () => {
  const deploymentConfig = config({ deploy: { signal: 'deployment', environment: 'Production' } });

  it('takes a successful deployment to the configured environment (case-insensitive)', () => {
    expect(detectDeploy('deployment_status', deploymentSuccess, deploymentConfig)).toEqual({
      kind: 'deploy',
      source: 'deployment_status',
      repo: { owner: 'Codertocat', repo: 'Hello-World' },
      toSha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      beforeSha: null,
      deployedBy: 'Codertocat',
      deployedAt: '2019-05-15T15:20:55.000Z',
      // as GitHub spells it, for API queries (the config says "Production")
      environment: 'production',
    });
  });

  const withStatus = (status: Record<string, unknown>) => ({
    ...deploymentSuccess,
    deployment_status: { ...(deploymentSuccess['deployment_status'] as object), ...status },
  });

  it.each<[string, unknown, ReturnType<typeof config>, string]>([
    ['a pending deployment', withStatus({ state: 'in_progress' }), deploymentConfig, 'deployment state in_progress'],
    ['a failed deployment', withStatus({ state: 'failure' }), deploymentConfig, 'deployment state failure'],
    ['another environment', withStatus({ environment: 'staging' }), deploymentConfig, 'deployment to environment "staging", not "Production"'],
    ['signal push', deploymentSuccess, config(), 'deploy.signal is "push": deployment statuses do not count'],
    ['a malformed payload', { deployment_status: {} }, deploymentConfig, 'malformed deployment_status payload'],
  ])('ignores %s', (_name, payload, cfg, reason) => {
    expect(detectDeploy('deployment_status', payload, cfg)).toEqual({ kind: 'ignored', reason });
  });

  it('ignores other events', () => {
    expect(detectDeploy('pull_request', {}, deploymentConfig)).toEqual({ kind: 'ignored', reason: 'event pull_request is not a deploy signal' });
  });
});
