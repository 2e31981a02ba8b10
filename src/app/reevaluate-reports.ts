/**
 * Re-evaluations that do not come from a GitHub webhook: the report page's "Re-check now" and a JIRA ticket that
 * changed. They need an installation token for the repository, found through the App's own credentials.
 */
import type { RepoRef } from '../core/domain.js';
import type { InstallationOctokitFor } from '../github/installation-octokit.js';
import type { AppServices } from './app-services.js';
import { runDeployCheck } from './run-deploy-check.js';
import { runPullRequestCheck } from './run-pull-request-check.js';
import { jobKeys } from './job-keys.js';

export interface Reevaluator {
  /** Re-checks what the report of this SHA is about; resolves when the new report is stored. */
  recheckReport(repo: RepoRef, sha: string): Promise<void>;
  /** Re-checks the newest deploy report and the open pull requests that reference the ticket (not awaited). */
  onTicketChanged(key: string): Promise<void>;
}

export function createReevaluator(services: AppServices, octokitFor: InstallationOctokitFor): Reevaluator {
  async function deploy(repo: RepoRef, trigger: 'recheck' | 'jira', headSha?: string, pullRequest?: { number: number; title: string; url: string | null } | null) {
    const key = headSha ? jobKeys.deployHead(repo, headSha) : jobKeys.deployRecheck(repo);
    await services.queue.enqueue(key, async () => {
      const octokit = await octokitFor(repo);
      await runDeployCheck(services, octokit, { repo, trigger, ...(headSha ? { headSha } : {}), pullRequest: pullRequest ?? null });
    }).done;
  }

  async function pullRequest(repo: RepoRef, number: number, trigger: 'recheck' | 'jira') {
    await services.queue.enqueue(jobKeys.pullRequest(repo, number), async () => {
      const octokit = await octokitFor(repo);
      await runPullRequestCheck(services, octokit, { repo, number, trigger });
    }).done;
  }

  return {
    async recheckReport(repo, sha) {
      const report = services.store ? await services.store.getReport(repo, sha) : null;
      if (!report) return;
      if (report.kind === 'pull_request' && report.pullRequest) await pullRequest(repo, report.pullRequest.number, 'recheck');
      else await deploy(repo, 'recheck', sha, report.pullRequest);
    },

    async onTicketChanged(key) {
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
    },
  };
}
