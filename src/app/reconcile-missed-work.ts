/**
 * The sweep that makes a missed webhook (GitHub never redelivers) or an interrupted check (a restart while a
 * status was pending) harmless: for every repository the store knows, if the deploy head — or the production head
 * it was compared with — has no report yet, or an open pull request's head has none, the check is queued again.
 * Runs at start and every `intervalMs`. A repository whose every webhook was missed is picked up on its first
 * delivered event.
 */
import type { RepoRef } from '../core/domain.js';
import { createGitHubHistorySource } from '../github/github-history-source.js';
import type { InstallationOctokitFor } from '../github/installation-octokit.js';
import { loadRepoConfig } from '../github/load-repo-config.js';
import { startPeriodicRound } from './periodic-round.js';
import type { AppServices } from './app-services.js';
import type { CheckJobs } from './check-jobs.js';
import { repoKey } from './job-keys.js';

export interface ReconcileResult {
  readonly repositories: number;
  readonly queued: readonly string[];
  readonly failed: readonly string[];
}

export interface Reconciler {
  runOnce(): Promise<ReconcileResult>;
  stop(): Promise<void>;
}

export function createReconciler(services: AppServices, octokitFor: InstallationOctokitFor, jobs: CheckJobs, options: { intervalMs: number }): Reconciler {
  const { store, logger } = services;
  const log = logger.child({ component: 'reconciler' });

  async function reconcileRepo(repo: RepoRef, queued: string[]): Promise<void> {
    if (!store) return;
    const edge = await octokitFor(repo);
    const configResult = await loadRepoConfig(edge, repo);
    if (!configResult.ok) return; // the next push reports the config error
    const { config } = configResult;
    const history = createGitHubHistorySource(edge, repo);
    const [deployHead, productionHead] = await Promise.all([history.resolveRef(config.branches.deploy), history.resolveRef(config.branches.production)]);
    if (deployHead) {
      const report = await store.getReport(repo, deployHead);
      // Missing, compared with an older production, or an error (JIRA or GitHub was down): check again.
      const current = report && report.kind === 'deploy' && report.baseSha === productionHead && report.state !== 'error';
      if (!current) {
        queued.push(`${repoKey(repo)} deploy ${deployHead.slice(0, 7)}`);
        jobs.enqueue({ kind: 'deploy', repo, installationId: null, trigger: 'reconcile', headSha: deployHead, configResult });
      }
    }
    for (const pr of await edge.listOpenPullRequests(repo)) {
      const report = await store.getReport(repo, pr.head.sha);
      if (report && report.state !== 'error') continue;
      queued.push(`${repoKey(repo)} #${pr.number}`);
      jobs.enqueue({ kind: 'pull_request', repo, installationId: null, number: pr.number, trigger: 'reconcile' });
    }
  }

  async function sweep(): Promise<ReconcileResult> {
    if (!store) return { repositories: 0, queued: [], failed: [] };
    // Repositories with a report, and those a webhook was received for that have none yet (a first push whose job
    // was only queued when the process died).
    const byKey = new Map<string, RepoRef>();
    for (const r of await store.listRepositories()) byKey.set(repoKey(r.repo).toLowerCase(), r.repo);
    for (const r of await store.listKnownRepositories()) byKey.set(repoKey(r.repo).toLowerCase(), r.repo);
    const repos = [...byKey.values()];
    const queued: string[] = [];
    const failed: string[] = [];
    for (const repo of repos) {
      try {
        await reconcileRepo(repo, queued);
      } catch (err) {
        failed.push(repoKey(repo));
        log.warn({ err, repo: repoKey(repo) }, 'could not reconcile the repository (App uninstalled? GitHub down?)');
      }
    }
    if (queued.length || failed.length) log.info({ repositories: repos.length, queued, failed }, 'reconciled missed work');
    return { repositories: repos.length, queued, failed };
  }

  const loop = startPeriodicRound({
    round: sweep,
    intervalMs: store ? options.intervalMs : 0,
    firstDelayMs: 0,
    onError: (err) => log.error({ err }, 'reconcile sweep failed'),
  });
  return { runOnce: loop.runOnce, stop: loop.stop };
}
