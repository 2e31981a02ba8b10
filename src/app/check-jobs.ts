/**
 * Jobs as data: what to check, in which repository, for which installation. Webhook handlers, the reconcilers and
 * the re-checks describe a job and enqueue it here; the job gets its installation's GitHub edge only when it runs
 * (built with the App's credentials, so throttling and retries are per installation). The queue key, the fairness
 * lane (installation) and the share (webhook or background) are derived in one place.
 */
import { createSeenSet } from './bounded-seen-set.js';
import type { DeployReport, RepoRef, ReportTrigger } from '../core/domain.js';
import type { InstallationOctokits } from '../github/installation-octokit.js';
import { loadRepoConfig, type RepoConfigResult } from '../github/load-repo-config.js';
import type { RepoConfig } from '../core/config/repo-config-schema.js';
import { userCanWrite } from '../github/github-pull-requests.js';
import { handleDeploySignal, type AnnouncementContentSource } from './announce-deploys.js';
import type { DeployAnnouncer } from '../slack/deploy-announcer.js';
import type { AppServices, JobGitHub } from './app-services.js';
import type { Enqueued } from './work-queue.js';
import { runDeployCheck } from './run-deploy-check.js';
import { runPullRequestCheck } from './run-pull-request-check.js';
import { recordShipment } from './record-shipment.js';
import { jobKeys, repoKey } from './job-keys.js';
import { runProtectionReview } from './protection-reviews.js';

export interface Announcements {
  readonly announcer: DeployAnnouncer;
  readonly content: AnnouncementContentSource;
}

interface JobBase {
  readonly repo: RepoRef;
  /** From the webhook payload; null: looked up with the App's JWT when the job runs. */
  readonly installationId: number | null;
}

export type CheckJob = JobBase &
  (
    | { readonly kind: 'push'; readonly branch: string; readonly payload: { after: string } & Record<string, unknown> }
    | { readonly kind: 'pull_request'; readonly number: number; readonly trigger: ReportTrigger }
    | {
        readonly kind: 'deploy';
        readonly trigger: ReportTrigger;
        /** Absent: the deploy branch's current head. */
        readonly headSha?: string;
        readonly pullRequest?: DeployReport['pullRequest'];
        readonly configResult?: RepoConfigResult;
      }
    | { readonly kind: 'recheck_comment'; readonly number: number; readonly commentId: number; readonly login: string }
    | { readonly kind: 'deployment_status'; readonly sha: string; readonly payload: Record<string, unknown> }
    /** A deployment protection review: evaluate and answer it, or deliver its recorded answer. */
    | { readonly kind: 'protection_review'; readonly reviewId: number; readonly background: boolean }
  );

/** Background: re-checks not caused by a GitHub event (web, JIRA, reconciliation) get the smaller share. */
const isBackground = (job: CheckJob) =>
  ((job.kind === 'deploy' || job.kind === 'pull_request') && (job.trigger === 'recheck' || job.trigger === 'jira' || job.trigger === 'reconcile')) ||
  (job.kind === 'protection_review' && job.background);

function keyOf(job: CheckJob): string {
  switch (job.kind) {
    case 'push':
      return jobKeys.branch(job.repo, job.branch);
    case 'pull_request':
      return jobKeys.pullRequest(job.repo, job.number);
    case 'deploy':
      return job.headSha ? jobKeys.deployHead(job.repo, job.headSha) : jobKeys.deployRecheck(job.repo);
    case 'recheck_comment':
      return jobKeys.recheckComment(job.repo, job.commentId);
    case 'deployment_status':
      return jobKeys.deploymentAnnouncement(job.repo, job.sha);
    case 'protection_review':
      return `${repoKey(job.repo)}:protection:${job.reviewId}`;
  }
}

export interface CheckJobs {
  enqueue(job: CheckJob): Enqueued;
}

export function createCheckJobs(services: AppServices, octokits: InstallationOctokits, announcements: Announcements | null): CheckJobs {
  const log = services.logger;
  // "Only writers can recheck" is said once per user and pull request (in-process: after a restart, once more).
  const recheckRefusals = createSeenSet(10_000);

  async function gitHubFor(job: CheckJob): Promise<JobGitHub> {
    const installationId = job.installationId ?? (await octokits.installationIdFor(job.repo));
    return { edge: await octokits.forInstallation(installationId), installationId };
  }

  /** A push: deploy-branch pushes are checked; production pushes re-check the deploy (its diff changed) and are announced. */
  async function push(github: JobGitHub, job: Extract<CheckJob, { kind: 'push' }>): Promise<void> {
    const { repo, branch } = job;
    const configResult = await loadRepoConfig(github.edge, repo);
    const branches = configResult.ok ? configResult.config.branches : configResult.branches;
    if (branch !== branches.deploy && branch !== branches.production) {
      log.debug({ repo: repoKey(repo), branch }, 'push to a branch that is neither deploy nor production: ignored');
      return;
    }
    if (branch === branches.production && configResult.ok) await shipment(github, job.repo, 'push', job.payload, configResult.config);
    log.info({ repo: repoKey(repo), branch, after: job.payload.after }, 'push: checking the deploy');
    try {
      await runDeployCheck(services, github, { repo, trigger: 'push', configResult });
    } catch (err) {
      // e.g. GitHub was unreachable: logged; the recorded intent or the reconciler re-checks later. It must not cost the announcement.
      log.error({ err, repo: repoKey(repo), branch }, 'deploy check failed');
    }
    if (branch === branches.production && announcements && services.store) {
      await handleDeploySignal(services, { ...announcements, store: services.store }, github.edge, {
        name: 'push',
        payload: job.payload as never,
        repo,
        configResult,
      });
    }
  }

  /** Production moved: the shipment is recorded first (before the re-check or Slack), and a failure costs neither. */
  async function shipment(github: JobGitHub, repo: RepoRef, name: 'push' | 'deployment_status', payload: unknown, config: RepoConfig): Promise<void> {
    if (!services.store) return;
    try {
      await recordShipment(services, services.store, github.edge, { name, payload, repo, config });
    } catch (err) {
      log.error({ err, repo: repoKey(repo), event: name }, 'could not record the shipment');
    }
  }

  async function deploymentStatus(github: JobGitHub, job: Extract<CheckJob, { kind: 'deployment_status' }>): Promise<void> {
    if (!services.store) return;
    const configResult = await loadRepoConfig(github.edge, job.repo);
    if (configResult.ok) await shipment(github, job.repo, 'deployment_status', job.payload, configResult.config);
    if (!announcements) return;
    await handleDeploySignal(services, { ...announcements, store: services.store }, github.edge, {
      name: 'deployment_status',
      payload: job.payload as never,
      repo: job.repo,
      configResult,
    });
  }

  async function recheckComment(github: JobGitHub, job: Extract<CheckJob, { kind: 'recheck_comment' }>): Promise<void> {
    const { edge } = github;
    if (!(await userCanWrite(edge, job.repo, job.login))) {
      if (!recheckRefusals.add(`${repoKey(job.repo)}#${job.number}@${job.login.toLowerCase()}`)) {
        log.info({ repo: repoKey(job.repo), pr: job.number, login: job.login }, 'recheck from a non-writer, already answered on this pull request: no reply');
        return;
      }
      await edge.commentOnIssue(
        job.repo,
        job.number,
        `@${job.login} thanks for asking! Only people with write access to this repository can ask deploy-checker for a recheck. The check also runs again on every push, and when the linked JIRA tickets change.`,
      );
      return;
    }
    await edge.reactToComment(job.repo, job.commentId, 'eyes');
    enqueue({ kind: 'pull_request', repo: job.repo, installationId: github.installationId, number: job.number, trigger: 'recheck' });
  }

  async function run(job: CheckJob): Promise<void> {
    const github = await gitHubFor(job);
    switch (job.kind) {
      case 'push':
        return push(github, job);
      case 'pull_request':
        return runPullRequestCheck(services, github, { repo: job.repo, number: job.number, trigger: job.trigger });
      case 'deploy':
        await runDeployCheck(services, github, {
          repo: job.repo,
          trigger: job.trigger,
          ...(job.headSha ? { headSha: job.headSha } : {}),
          pullRequest: job.pullRequest ?? null,
          ...(job.configResult ? { configResult: job.configResult } : {}),
        });
        return;
      case 'recheck_comment':
        return recheckComment(github, job);
      case 'deployment_status':
        return deploymentStatus(github, job);
      case 'protection_review':
        return runProtectionReview(services, github, job.reviewId);
    }
  }

  function enqueue(job: CheckJob): Enqueued {
    return services.queue.enqueue(keyOf(job), () => run(job), {
      lane: job.installationId ?? repoKey(job.repo),
      share: isBackground(job) ? 'background' : 'webhook',
    });
  }

  return { enqueue };
}
