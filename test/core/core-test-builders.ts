/**
 * Builders of core inputs for the test/core suites: commits, compared ranges, ticket snapshots and configs.
 */
import type { CommitInfo, DeployRange, TicketSnapshot } from '../../src/core/domain.js';
import { parseRepoConfig, type RepoConfig } from '../../src/core/config/repo-config-schema.js';

/** A 40-hex-digit SHA derived from a readable label (its characters in hex, padded with f). */
export function shaOf(label: string): string {
  let hex = '';
  for (const char of label) hex += char.charCodeAt(0).toString(16).padStart(2, '0');
  return (hex + 'f'.repeat(40)).slice(0, 40);
}

export function commit(label: string, message: string, overrides: Partial<CommitInfo> = {}): CommitInfo {
  return {
    sha: shaOf(label),
    message,
    authorLogin: 'dana',
    authorName: 'Dana Developer',
    date: '2024-05-01T09:00:00Z',
    parents: [shaOf(`parent-of-${label}`)],
    ...overrides,
  };
}

export function range(commits: readonly CommitInfo[], overrides: Partial<DeployRange> = {}): DeployRange {
  return {
    baseBranch: 'production',
    headBranch: 'deploy',
    baseSha: shaOf('production'),
    headSha: commits.at(-1)?.sha ?? shaOf('production'),
    status: commits.length ? 'ahead' : 'identical',
    aheadBy: commits.length,
    behindBy: 0,
    commits,
    ...overrides,
  };
}

export function ticket(key: string, overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    key,
    summary: `Summary of ${key}`,
    type: 'Story',
    status: 'Ready for Deploy',
    assignee: 'Dana Developer',
    riskAssessment: [{ type: 'paragraph', text: 'Low risk: behind a feature flag.' }],
    postDeployChecks: [{ type: 'list', ordered: false, items: ['Open the login page', 'Watch the error rate'] }],
    riskLevel: 'Low',
    url: `https://acme.atlassian.net/browse/${key}`,
    ...overrides,
  };
}

export function tickets(...snapshots: TicketSnapshot[]): ReadonlyMap<string, TicketSnapshot> {
  return new Map(snapshots.map((t) => [t.key, t]));
}

/** A validated config from raw YAML-shaped data; throws when the data is invalid (a broken test). */
export function config(raw: Record<string, unknown> = {}): RepoConfig {
  const parsed = parseRepoConfig(raw);
  if (!parsed.ok) throw new Error(`test config is invalid: ${parsed.error}`);
  return parsed.config;
}
