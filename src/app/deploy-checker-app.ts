/**
 * The Probot application function. Webhook handlers only parse the payload and enqueue a job (data: repository,
 * installation, what to check — src/app/check-jobs.ts): the work happens in the bounded, fair queue, recomputing
 * from the current state of GitHub and JIRA (a webhook is a hint, not the truth).
 */
import type { ApplicationFunction } from 'probot';
import { createInstallationOctokits } from '../github/installation-octokit.js';
import { createDeployAnnouncer } from '../slack/deploy-announcer.js';
import { startAnnouncementResumer } from '../slack/announcement-resume-loop.js';
import { defaultAnnouncementBackoff } from '../core/slack-announcement/announcement-retry-policy.js';
import { createAnnouncementContentSource, loadRecordedAnnouncement } from './announce-deploys.js';
import { createReevaluator, type Reevaluator } from './reevaluate-reports.js';
import { createReconciler, type Reconciler } from './reconcile-missed-work.js';
import { createStatusIntentSweeper, type StatusIntentSweeper } from './sweep-status-intents.js';
import { createWebHandler } from '../web/web-handler.js';
import { createSlackInteractionsRoute } from '../web/slack-interactions-route.js';
import { webAuthWarning } from '../web/web-auth-config.js';
import { createFrontHandler, runBeforeProbotHandlers } from '../web/front-handler.js';
import { startWebSessionPruner } from '../web/session-pruner.js';
import { startRetentionPruner } from './retention-pruner.js';
import type { z } from 'zod';
import {
  checkRunWebhookPayload,
  checkSuiteWebhookPayload,
  checkWebhookPayload,
  deploymentProtectionRuleRequestedWebhookPayload,
  deploymentStatusWebhookPayload,
  issueCommentWebhookPayload,
  pullRequestWebhookPayload,
  pushWebhookPayload,
  WebhookPayloadError,
} from '../github/webhook-payload-schemas.js';
import { createGitHubDeliveryGate } from './github-delivery-gate.js';
import type { AppServices } from './app-services.js';
import { createLeaseOwners } from './status-outbox.js';
import { createCheckJobs, type Announcements } from './check-jobs.js';
import { repoKey } from './job-keys.js';
import type { DeployApprovals } from '../core/approval/deploy-approval-port.js';
import { createDeployApprovals, protectionRequestOf } from './protection-reviews.js';
import { createProtectionReviewLoop, type ProtectionReviewLoop } from './protection-review-loop.js';
import type { RepoRef } from '../core/domain.js';
import { RECHECK_ACTION_IDENTIFIER } from '../core/report/check-run-output.js';

export type { Announcements } from './check-jobs.js';

export const RECHECK_COMMAND = /^\s*\/deploy-checker\s+recheck\b/i;

/** The webhook payload's installation id (every App webhook has one; null only for hand-made payloads). */
const installationIdOf = (payload: { installation?: { id?: number } | null }): number | null => payload.installation?.id ?? null;

export interface AppReady {
  readonly reevaluator: Reevaluator;
  readonly reconciler: Reconciler;
  readonly intentSweeper: StatusIntentSweeper;
  /** Deployment protection reviews: the Slack interactions route decides through this. */
  readonly deployApprovals: DeployApprovals;
  /** Re-evaluates waiting protection reviews (timer: PROTECTION_RECHECK_INTERVAL_MS; tests call tick()). */
  readonly protectionLoop: ProtectionReviewLoop;
  /** Resolves when the Slack decisions started so far are done (graceful shutdown waits for them). */
  readonly slackDecisionsIdle: () => Promise<void>;
}

export function createDeployCheckerApp(givenServices: AppServices, hooks: { onReady?: (ready: AppReady) => void } = {}): ApplicationFunction {
  // One replica id for this process's leases on status intents.
  const services: AppServices = { ...givenServices, leaseOwners: givenServices.leaseOwners ?? createLeaseOwners() };

  const deliveries = createGitHubDeliveryGate({ store: services.store, now: services.now, logger: services.logger });

  /** The webhook edge: a payload without the shape its event promises is answered 400 (logged), never enqueued. */
  const validPayload = <T>(context: { id: string; name: string; payload: unknown }, schema: z.ZodType<T>): T => {
    const checked = checkWebhookPayload(schema, context.payload);
    if (checked.ok) return checked.payload;
    services.logger.warn({ deliveryId: context.id, event: context.name, problems: checked.problems }, 'webhook refused with 400: malformed payload');
    throw new WebhookPayloadError(`malformed ${context.name} payload: ${checked.problems.join('; ')}`);
  };
  /**
   * False for a delivery (X-GitHub-Delivery) handled before: GitHub redeliveries and replays are acted on once. A
   * first delivery also records its repository, so that the reconciler checks it even before it has a report.
   */
  const firstDelivery = async (context: { id: string; name: string; payload: unknown }): Promise<boolean> => {
    if (await deliveries.firstDelivery(context.id, context.name)) {
      const payload = context.payload as { repository?: { name?: string; owner?: { login?: string } }; installation?: { id?: number } | null };
      const owner = payload.repository?.owner?.login;
      const repo = payload.repository?.name;
      if (services.store && owner && repo) {
        await services.store
          .rememberRepository({ owner, repo }, payload.installation?.id ?? null, services.now())
          .catch((err: unknown) => services.logger.warn({ err }, 'could not record the repository for the reconciler'));
      }
      return true;
    }
    services.logger.info({ deliveryId: context.id, event: context.name }, 'webhook delivery seen before: ignored');
    return false;
  };

  return (app, { addHandler }) => {
    const publicUrl = services.env.publicUrl ?? `http://localhost:${services.env.server.port}`;
    runBeforeProbotHandlers(app, createFrontHandler({ publicUrl, webhookPath: services.env.server.webhookPath, logger: services.logger }));
    const octokits = createInstallationOctokits(app);
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
        loadAnnouncementContent: loadRecordedAnnouncement(services, content, octokits.forRepo),
      });
      announcements = { announcer, content };
      const resumer = startAnnouncementResumer({ announcer, intervalMs: services.announcementResumeIntervalMs ?? 60_000, logger: services.logger });
      services.shutdown?.addEventListener('abort', () => void resumer.stop(), { once: true });
    }
    const jobs = createCheckJobs(services, octokits, announcements);
    const reevaluator = createReevaluator(services, jobs);
    const deployApprovals = createDeployApprovals(services, octokits);
    const slackInteractions =
      services.approvalSlack && services.env.slackSigningSecret
        ? createSlackInteractionsRoute({
            signingSecret: services.env.slackSigningSecret,
            approvals: deployApprovals,
            slack: services.approvalSlack,
            logger: services.logger,
            now: services.now,
          })
        : null;
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
          ...(slackInteractions ? { slackInteractions } : {}),
        }),
      );
      startWebSessionPruner({
        store: services.store,
        intervalMs: 15 * 60_000,
        logger: services.logger,
        now: services.now,
        ...(services.shutdown ? { shutdown: services.shutdown } : {}),
      });
      startRetentionPruner({
        store: services.store,
        retentionDays: services.env.retentionDays,
        logger: services.logger,
        now: services.now,
        ...(services.shutdown ? { shutdown: services.shutdown } : {}),
      });
    }
    const reconciler = createReconciler(services, octokits.forRepo, jobs, { intervalMs: services.env.reconcileIntervalMs });
    const intentSweeper = createStatusIntentSweeper(services, octokits, jobs, { intervalMs: services.env.statusSweepIntervalMs });
    services.shutdown?.addEventListener('abort', () => void reconciler.stop(), { once: true });
    services.shutdown?.addEventListener('abort', () => void intentSweeper.stop(), { once: true });
    const protectionLoop = createProtectionReviewLoop(services, jobs, { intervalMs: services.env.protectionRecheckIntervalMs });
    services.shutdown?.addEventListener('abort', () => void protectionLoop.stop(), { once: true });
    hooks.onReady?.({
      reevaluator,
      reconciler,
      intentSweeper,
      deployApprovals,
      protectionLoop,
      slackDecisionsIdle: () => slackInteractions?.idle() ?? Promise.resolve(),
    });

    app.onAny(async (context) => {
      services.metrics?.webhookDeliveries.inc({ event: context.name });
    });

    app.on('deployment_status', async (context) => {
      // Shipments are recorded with or without Slack; without a store there is nothing to do with a deployment.
      if (!services.store) return;
      const payload = validPayload(context, deploymentStatusWebhookPayload);
      if (!(await firstDelivery(context))) return;
      jobs.enqueue({
        kind: 'deployment_status',
        repo: context.repo(),
        installationId: installationIdOf(payload),
        sha: payload.deployment.sha,
        payload,
      });
    });

    app.on('deployment_protection_rule.requested', async (context) => {
      const payload = validPayload(context, deploymentProtectionRuleRequestedWebhookPayload);
      if (!(await firstDelivery(context))) return;
      const repo = context.repo();
      const log = services.logger.child({ repo: repoKey(repo), deliveryId: context.id, environment: payload.environment });
      if (!services.store) {
        log.error('deployment protection rule requested, but there is no store to record it (DATABASE_URL): not answered');
        return;
      }
      const request = protectionRequestOf(payload, repo, services.env.githubApiUrl, services.now());
      if (!request) {
        log.warn(
          { callbackUrl: payload.deployment_callback_url.slice(0, 300) },
          'deployment protection rule with a callback URL outside the GitHub API of this repository: ignored',
        );
        return;
      }
      // Recorded before anything else: a second delivery of the same run and environment is answered once.
      const { review, created } = await services.store.createProtectionReview({ repo, installationId: installationIdOf(payload), ...request });
      if (!created) {
        log.info({ reviewId: review.id, runId: review.runId }, 'deployment protection rule already recorded: answered once');
        return;
      }
      jobs.enqueue({ kind: 'protection_review', repo, installationId: installationIdOf(payload), reviewId: review.id, background: false });
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
      jobs.enqueue({ kind: 'push', repo, installationId: installationIdOf(payload), branch, payload });
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
        jobs.enqueue({
          kind: 'pull_request',
          repo: context.repo(),
          installationId: installationIdOf(payload),
          number: payload.pull_request.number,
          trigger: 'pull_request',
        });
      },
    );

    /**
     * Check runs (repo config `status.kind`): "Re-check JIRA" (requested action `recheck`), "Re-run" on a run or on
     * the suite re-evaluate the head — its pull requests when it has any (the ticket check, and the deploy check of
     * a release pull request), else the deploy check of that head. Tickets are read from JIRA again.
     */
    const recheckHead = (repo: RepoRef, installationId: number | null, headSha: string, pullRequests: readonly { number: number }[]) => {
      if (pullRequests.length === 0) {
        jobs.enqueue({ kind: 'deploy', repo, installationId, trigger: 'recheck', headSha });
        return;
      }
      for (const pr of pullRequests) jobs.enqueue({ kind: 'pull_request', repo, installationId, number: pr.number, trigger: 'recheck' });
    };

    app.on(['check_run.requested_action', 'check_run.rerequested'], async (context) => {
      const payload = validPayload(context, checkRunWebhookPayload);
      if (payload.action === 'requested_action' && payload.requested_action?.identifier !== RECHECK_ACTION_IDENTIFIER) {
        services.logger.debug({ identifier: payload.requested_action?.identifier }, 'check run action that is not ours: ignored');
        return;
      }
      if (!(await firstDelivery(context))) return;
      const { check_run: run } = payload;
      services.logger.info({ repo: repoKey(context.repo()), sha: run.head_sha, check: run.name, action: payload.action }, 'check run: re-checking the head');
      recheckHead(context.repo(), installationIdOf(payload), run.head_sha, run.pull_requests);
    });

    app.on('check_suite.rerequested', async (context) => {
      const payload = validPayload(context, checkSuiteWebhookPayload);
      if (!(await firstDelivery(context))) return;
      const suite = payload.check_suite;
      services.logger.info({ repo: repoKey(context.repo()), sha: suite.head_sha }, 'check suite re-requested: re-checking the head');
      recheckHead(context.repo(), installationIdOf(payload), suite.head_sha, suite.pull_requests);
    });

    app.on('issue_comment.created', async (context) => {
      const payload = validPayload(context, issueCommentWebhookPayload);
      if (!payload.issue.pull_request || !RECHECK_COMMAND.test(payload.comment.body)) return;
      if (payload.comment.user?.type === 'Bot') return;
      if (!(await firstDelivery(context))) return;
      // Permission lookup and reaction run in the queue too: the webhook is answered at once.
      jobs.enqueue({
        kind: 'recheck_comment',
        repo: context.repo(),
        installationId: installationIdOf(payload),
        number: payload.issue.number,
        commentId: payload.comment.id,
        login: payload.comment.user?.login ?? '',
      });
    });
  };
}
