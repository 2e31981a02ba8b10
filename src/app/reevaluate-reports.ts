/**
 * Re-evaluations that do not come from a GitHub webhook: the report page's "Re-check now" and a JIRA ticket that
 * changed. They run as background jobs (a smaller share of the queue, see work-queue.ts); the installation is
 * found through the App's own credentials when the job runs.
 */
import type { RepoRef } from '../core/domain.js';
import type { AppServices } from './app-services.js';
import type { CheckJobs } from './check-jobs.js';
import { repoKey } from './job-keys.js';
import { enqueueProtectionReviews } from './protection-review-loop.js';

export interface Reevaluator {
  /** Re-checks what the report of this SHA is about; resolves when the new report is stored. */
  recheckReport(repo: RepoRef, sha: string): Promise<void>;
  /** Re-checks the newest deploy report and the open pull requests that reference the ticket (not awaited). */
  onTicketChanged(key: string): Promise<void>;
  /** Resolves when every ticket-change re-check started so far has finished (tests and shutdown await it). */
  idle(): Promise<void>;
}

export function createReevaluator(services: AppServices, jobs: CheckJobs): Reevaluator {
  async function deploy(
    repo: RepoRef,
    trigger: 'recheck' | 'jira',
    headSha?: string,
    pullRequest?: { number: number; title: string; url: string | null } | null,
  ) {
    await jobs.enqueue({ kind: 'deploy', repo, installationId: null, trigger, ...(headSha ? { headSha } : {}), pullRequest: pullRequest ?? null }).done;
  }

  async function pullRequest(repo: RepoRef, number: number, trigger: 'recheck' | 'jira') {
    await jobs.enqueue({ kind: 'pull_request', repo, installationId: null, number, trigger }).done;
  }

  const inFlight = new Set<Promise<void>>();

  async function ticketChanged(key: string): Promise<void> {
    if (!services.store) return;
    const latest = await services.store.latestReportsForTicket(key);
    services.logger.info({ key, reports: latest.length }, 'JIRA ticket changed: re-checking the reports that contain it');
    await Promise.all(
      latest.map((item) =>
        (item.kind === 'pull_request' && item.pullRequestNumber !== null
          ? pullRequest(item.repo, item.pullRequestNumber, 'jira')
          : deploy(item.repo, 'jira')
        ).catch((err: unknown) => services.logger.error({ err, key, repo: item.repo }, 're-check after a JIRA change failed')),
      ),
    );
    await protectionReviewsOf(key).catch((err: unknown) => services.logger.error({ err, key }, 'protection review re-check after a JIRA change failed'));
  }

  /** Deployments held by a protection rule whose evaluation contains the ticket are evaluated again. */
  async function protectionReviewsOf(key: string): Promise<void> {
    if (!services.store) return;
    const waiting = await services.store.listWaitingProtectionReviews();
    if (waiting.length === 0) return;
    const shas = new Set((await services.store.reportsForTicket(key)).map((item) => `${repoKey(item.repo)}@${item.headSha}`));
    const affected = waiting.filter((review) => shas.has(`${repoKey(review.repo)}@${review.sha}`));
    if (affected.length === 0) return;
    services.logger.info({ key, reviews: affected.length }, 'JIRA ticket changed: evaluating the deployments it holds again');
    await enqueueProtectionReviews(jobs, affected);
  }

  return {
    async recheckReport(repo, sha) {
      const report = services.store ? await services.store.getReport(repo, sha) : null;
      if (!report) return;
      if (report.kind === 'pull_request' && report.pullRequest) await pullRequest(repo, report.pullRequest.number, 'recheck');
      else await deploy(repo, 'recheck', sha, report.pullRequest);
    },

    onTicketChanged(key) {
      const running = ticketChanged(key).finally(() => inFlight.delete(running));
      inFlight.add(running);
      return running;
    },

    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
