/**
 * The Probot application function. Webhook handlers only parse the payload and enqueue a job: the work happens in
 * the bounded queue, recomputing from the current state of GitHub and JIRA (a webhook is a hint, not the truth).
 */
import type { ApplicationFunction } from 'probot';
import { loadRepoConfig, type RepoConfigResult } from '../github/load-repo-config.js';
import { createInstallationOctokitFor } from '../github/installation-octokit.js';
import { createDeployAnnouncer, type DeployAnnouncer } from '../slack/deploy-announcer.js';
import { startAnnouncementResumer } from '../slack/announcement-resume-loop.js';
import { defaultAnnouncementBackoff } from '../core/slack-announcement/announcement-retry-policy.js';
import { createAnnouncementContentSource, handleDeploySignal, loadRecordedAnnouncement, type AnnouncementContentSource } from './announce-deploys.js';
import { createReevaluator, type Reevaluator } from './reevaluate-reports.js';
import { createReconciler, type Reconciler } from './reconcile-missed-work.js';
import { createWebHandler } from '../web/web-handler.js';
import { webAuthWarning } from '../web/web-auth-config.js';
import { createFrontHandler, runBeforeProbotHandlers } from '../web/front-handler.js';
import { startWebSessionPruner } from '../web/session-pruner.js';
import type { Octokit } from '../github/github-history-source.js';
import { commentOnIssue, reactToComment, userCanWrite } from '../github/github-pull-requests.js';
import type { AppServices } from './app-services.js';
import { runDeployCheck } from './run-deploy-check.js';
import { runPullRequestCheck } from './run-pull-request-check.js';
import type { RepoRef } from '../core/domain.js';
import { jobKeys, repoKey } from './job-keys.js';
import type { z } from 'zod';
import {
  checkWebhookPayload,
  deploymentStatusWebhookPayload,
  issueCommentWebhookPayload,
  pullRequestWebhookPayload,
  pushWebhookPayload,
  WebhookPayloadError,
} from '../github/webhook-payload-schemas.js';
import { createGitHubDeliveryGate } from './github-delivery-gate.js';
import { createSeenSet } from './bounded-seen-set.js';

export const RECHECK_COMMAND = /^\s*\/deploy-checker\s+recheck\b/i;

export interface Announcements {
  readonly announcer: DeployAnnouncer;
  readonly content: AnnouncementContentSource;
}

/** A push: deploy-branch pushes are checked; production pushes re-check the deploy (its diff changed) and are announced. */
async function handleBranchPush(
  services: AppServices,
  announcements: Announcements | null,
  octokit: Octokit,
  event: { repo: RepoRef; branch: string; payload: { after: string } },
): Promise<void> {
  const { repo, branch } = event;
  const configResult: RepoConfigResult = await loadRepoConfig(octokit, repo);
  const branches = configResult.ok ? configResult.config.branches : configResult.branches;
  if (branch !== branches.deploy && branch !== branches.production) {
    services.logger.debug({ repo: repoKey(repo), branch }, 'push to a branch that is neither deploy nor production: ignored');
    return;
  }
  services.logger.info({ repo: repoKey(repo), branch, after: event.payload.after }, 'push: checking the deploy');
  try {
    await runDeployCheck(services, octokit, { repo, trigger: 'push', configResult });
  } catch (err) {
    // e.g. GitHub refused the status: logged; the reconciler re-checks later. It must not cost the announcement.
    services.logger.error({ err, repo: repoKey(repo), branch }, 'deploy check failed');
  }
  if (branch === branches.production && announcements && services.store) {
    await handleDeploySignal(services, { ...announcements, store: services.store }, octokit, { name: 'push', payload: event.payload, repo, configResult });
  }
}

export function createDeployCheckerApp(services: AppServices, hooks: { onReady?: (ready: { reevaluator: Reevaluator; reconciler: Reconciler }) => void } = {}): ApplicationFunction {
  const enqueuePullRequest = (octokit: Octokit, repo: RepoRef, number: number, trigger: 'pull_request' | 'recheck') =>
    services.queue.enqueue(jobKeys.pullRequest(repo, number), () => runPullRequestCheck(services, octokit, { repo, number, trigger }));

  const deliveries = createGitHubDeliveryGate({ store: services.store, now: services.now, logger: services.logger });
  // "Only writers can recheck" is said once per user and pull request (in-process: after a restart, once more).
  const recheckRefusals = createSeenSet(10_000);

  /** The webhook edge: a payload without the shape its event promises is answered 400 (logged), never enqueued. */
  const validPayload = <T>(context: { id: string; name: string; payload: unknown }, schema: z.ZodType<T>): T => {
    const checked = checkWebhookPayload(schema, context.payload);
    if (checked.ok) return checked.payload;
    services.logger.warn({ deliveryId: context.id, event: context.name, problems: checked.problems }, 'webhook refused with 400: malformed payload');
    throw new WebhookPayloadError(`malformed ${context.name} payload: ${checked.problems.join('; ')}`);
  };
  /** False for a delivery (X-GitHub-Delivery) handled before: GitHub redeliveries and replays are acted on once. */
  const firstDelivery = async (context: { id: string; name: string }): Promise<boolean> => {
    if (await deliveries.firstDelivery(context.id, context.name)) return true;
    services.logger.info({ deliveryId: context.id, event: context.name }, 'webhook delivery seen before: ignored');
    return false;
  };

  return (app, { addHandler }) => {
    const publicUrl = services.env.publicUrl ?? `http://localhost:${services.env.server.port}`;
    runBeforeProbotHandlers(app, createFrontHandler({ publicUrl, webhookPath: services.env.server.webhookPath, logger: services.logger }));
    const octokitFor = createInstallationOctokitFor(app);
    const reevaluator = createReevaluator(services, octokitFor);
    if (services.store) {
      const warning = webAuthWarning(services.env.web);
      if (warning) services.logger.warn(warning);
      addHandler(
        createWebHandler({
          store: services.store,
          auth: services.env.web,
          publicUrl,
          jiraWebhookSecret: services.env.jiraWebhookSecret,
          recheck: (repo, sha) => reevaluator.recheckReport(repo, sha),
          onTicketChanged: (key) => void reevaluator.onTicketChanged(key),
          logger: services.logger,
          now: services.now,
        }),
      );
      startWebSessionPruner({ store: services.store, intervalMs: 15 * 60_000, logger: services.logger, now: services.now, ...(services.shutdown ? { shutdown: services.shutdown } : {}) });
    }
    let announcements: Announcements | null = null;
    if (services.slack && services.store) {
      const content = createAnnouncementContentSource(services);
      const announcer = createDeployAnnouncer({
        store: services.store,
        slack: services.slack,
        jiraWriter: services.jiraWriter ?? null,
        clock: { now: services.now },
        logger: services.logger,
        leaseMs: 120_000,
        backoff: defaultAnnouncementBackoff,
        loadAnnouncementContent: loadRecordedAnnouncement(services, content, octokitFor),
      });
      announcements = { announcer, content };
      const resumer = startAnnouncementResumer({ announcer, intervalMs: services.announcementResumeIntervalMs ?? 60_000, logger: services.logger });
      services.shutdown?.addEventListener('abort', () => void resumer.stop(), { once: true });
    }
    const reconciler = createReconciler(services, octokitFor, { intervalMs: services.env.reconcileIntervalMs });
    services.shutdown?.addEventListener('abort', () => void reconciler.stop(), { once: true });
    hooks.onReady?.({ reevaluator, reconciler });

    app.onAny(async (context) => {
      services.metrics?.webhookDeliveries.inc({ event: context.name });
    });

    app.on('deployment_status', async (context) => {
      if (!announcements || !services.store) return;
      const payload = validPayload(context, deploymentStatusWebhookPayload);
      if (!(await firstDelivery(context))) return;
      const repo = context.repo();
      const store = services.store;
      const octokit = context.octokit as unknown as Octokit;
      services.queue.enqueue(jobKeys.deploymentAnnouncement(repo, payload.deployment.sha), () =>
        handleDeploySignal(services, { ...announcements!, store }, octokit, { name: 'deployment_status', payload, repo }),
      );
    });

    app.on('push', async (context) => {
      const payload = validPayload(context, pushWebhookPayload);
      if (!(await firstDelivery(context))) return;
      const repo = context.repo();
      if (payload.deleted) {
        services.logger.debug({ repo: repoKey(repo), ref: payload.ref }, 'branch deletion: ignored');
        return;
      }
      if (!payload.ref.startsWith('refs/heads/')) {
        services.logger.debug({ repo: repoKey(repo), ref: payload.ref }, 'tag push: ignored');
        return;
      }
      const branch = payload.ref.slice('refs/heads/'.length);
      const octokit = context.octokit as unknown as Octokit;
      services.queue.enqueue(jobKeys.branch(repo, branch), () => handleBranchPush(services, announcements, octokit, { repo, branch, payload }));
    });

    app.on(
      [
        'pull_request.opened',
        'pull_request.reopened',
        'pull_request.synchronize',
        'pull_request.ready_for_review',
        'pull_request.converted_to_draft',
        'pull_request.labeled',
        'pull_request.unlabeled',
        'pull_request.edited',
      ],
      async (context) => {
        const payload = validPayload(context, pullRequestWebhookPayload);
        if (payload.action === 'edited') {
          const changes = payload.changes ?? {};
          if (!('title' in changes) && !('base' in changes)) {
            services.logger.debug({ pr: payload.pull_request.number }, 'pull request edit without title or base change: ignored');
            return;
          }
        }
        if (!(await firstDelivery(context))) return;
        enqueuePullRequest(context.octokit as unknown as Octokit, context.repo(), payload.pull_request.number, 'pull_request');
      },
    );

    app.on('issue_comment.created', async (context) => {
      const payload = validPayload(context, issueCommentWebhookPayload);
      if (!payload.issue.pull_request || !RECHECK_COMMAND.test(payload.comment.body)) return;
      if (payload.comment.user?.type === 'Bot') return;
      if (!(await firstDelivery(context))) return;
      const repo = context.repo();
      const octokit = context.octokit as unknown as Octokit;
      const login = payload.comment.user?.login ?? '';
      const number = payload.issue.number;
      const commentId = payload.comment.id;
      // Permission lookup and reaction run in the queue too: the webhook is answered at once.
      services.queue.enqueue(jobKeys.recheckComment(repo, commentId), async () => {
        if (!(await userCanWrite(octokit, repo, login))) {
          if (!recheckRefusals.add(`${repoKey(repo)}#${number}@${login.toLowerCase()}`)) {
            services.logger.info({ repo: repoKey(repo), pr: number, login }, 'recheck from a non-writer, already answered on this pull request: no reply');
            return;
          }
          await commentOnIssue(
            octokit,
            repo,
            number,
            `@${login} thanks for asking! Only people with write access to this repository can ask deploy-checker for a recheck. The check also runs again on every push, and when the linked JIRA tickets change.`,
          );
          return;
        }
        await reactToComment(octokit, repo, commentId, 'eyes');
        enqueuePullRequest(octokit, repo, number, 'recheck');
      });
    });
  };
}
