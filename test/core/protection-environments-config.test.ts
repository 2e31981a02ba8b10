import { describe, expect, it } from 'vitest';
import { parseRepoConfig } from '../../src/core/config/repo-config-schema.js';

describe('environments in the repository config', () => {
  it('fills the defaults of a listed environment and keeps only the rule overrides it names', () => {
    const parsed = parseRepoConfig({ environments: { production: { rules: { ticketStatus: false } }, 'eu staging': { onProblems: 'wait', maxWait: '30m' } } });
    expect(parsed.ok && parsed.config.environments).toEqual({
      production: { onProblems: 'reject', maxWait: '24h', approvers: [], rules: { ticketStatus: false } },
      'eu staging': { onProblems: 'wait', maxWait: '30m', approvers: [], rules: {} },
    });
  });

  it('is absent when not configured (nothing is gated)', () => {
    const parsed = parseRepoConfig({});
    expect(parsed.ok && parsed.config.environments).toBeUndefined();
  });

  it.each([
    [{ production: { maxWait: '8d' } }, 'environments.production.maxWait: must be at most 7d'],
    [{ production: { maxWait: '1w' } }, 'environments.production.maxWait: must be a duration like 30m, 24h or 2d'],
    [{ production: { onProblems: 'ignore' } }, 'environments.production.onProblems: Invalid option: expected one of "reject"|"wait"'],
    [{ production: { approvers: ['alice'] } }, 'environments.production.approvers.0: must be a Slack user group id (S…) or user id (U…/W…)'],
    [{ production: { rules: { noSuchRule: false } } }, 'environments.production.rules: unknown key "noSuchRule"'],
    [{ production: { extra: 1 } }, 'environments.production: unknown key "extra"'],
    [{ 'prod/eu': {} }, 'environments.prod/eu: must be a GitHub environment name (no slash, at most 255 characters)'],
  ])('%j is refused: %s', (environments, error) => {
    expect(parseRepoConfig({ environments })).toEqual({ ok: false, error });
  });
});
