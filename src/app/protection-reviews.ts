/**
 * The deployment protection rule (custom deployment protection rules, event deployment_protection_rule): the
 * request is recorded (once per repository, workflow run and environment), evaluated in the queue against what is
 * live in the environment, and answered — approved, rejected, or held (problems with onProblems: wait, JIRA
 * unreachable, an approver in Slack) and evaluated again by the loop (protection-review-loop.ts) and on JIRA
 * changes (reevaluate-reports.ts) until it is answered or maxWait passes. The decisions are the pure core's
 * (src/core/protection/protection-decision.ts); this module does the I/O around them.
 *
 * Every answer is recorded first (a conditional UPDATE that only one worker or click wins), then sent to GitHub;
 * a failed POST stays "decided, not delivered" and is retried by the loop.
 */
import type { Logger } from 'pino';
import type { DeployReport, RepoRef } from '../core/domain.js';
import type { ReportSink } from '../core/ports.js';
import { checkDeploy } from '../core/check-deploy.js';
import type { RepoConfig } from '../core/config/repo-config-schema.js';
import { decideProtection, protectionComment, type ProtectionDecision, type ProtectionSituation } from '../core/protection/protection-decision.js';
import { DEFAULT_MAX_WAIT, parseDuration } from '../core/protection/protection-duration.js';
import { runIdFromCallbackUrl } from '../core/protection/protection-callback-url.js';
import { buildApprovalRequestContent } from '../core/protection/approval-request-content.js';
import type { ApprovalDecision, ApprovalRequestContent, DeployApprovals, PendingApproval } from '../core/approval/deploy-approval-port.js';
import { createGitHubHistorySource } from '../github/github-history-source.js';
import type { GitHubEdge } from '../github/github-edge.js';
import { loadRepoConfig } from '../github/load-repo-config.js';
import { createProtectionRuleGitHub, type ProtectionRuleGitHub } from '../github/protection-rule-github.js';
import type { DeploymentProtectionRuleRequestedPayload } from '../github/webhook-payload-schemas.js';
import type { InstallationOctokits } from '../github/installation-octokit.js';
import type { ProtectionReview } from '../store/protection-review-store.js';
import type { ReportStore } from '../store/report-store.js';
import { reportUrlFor, type AppServices, type JobGitHub } from './app-services.js';
import { repoKey } from './job-keys.js';

/** Who an automatic answer is recorded as. */
export const DEPLOY_CHECKER = 'deploy-checker';

const DEFAULT_MAX_WAIT_MS = parseDuration(DEFAULT_MAX_WAIT) ?? 86_400_000;

/** Retry of an answer GitHub did not accept: 30 s, 1 min, 2 min … capped at 10 min. */
export const protectionDeliveryDelayMs = (attempts: number): number => Math.min(600_000, 30_000 * 2 ** Math.min(attempts, 10));

/** What the webhook handler records; null (logged) when the request cannot be trusted or used. */
export function protectionRequestOf(
  payload: DeploymentProtectionRuleRequestedPayload,
  repo: RepoRef,
  githubApiUrl: string,
  now: Date,
): { runId: number; environment: string; sha: string; ref: string | null; requestedBy: string | null; requestedAt: Date } | null {
  const runId = runIdFromCallbackUrl(payload.deployment_callback_url, githubApiUrl, repo);
  if (runId === null) return null;
  return {
    runId,
    environment: payload.environment,
    sha: payload.deployment.sha,
    ref: payload.deployment.ref ?? null,
    requestedBy: payload.deployment.creator?.login ?? null,
    requestedAt: now,
  };
}

/** The config an environment is evaluated with: the top-level rules with the environment's overrides. */
function configForEnvironment(config: RepoConfig, environment: string): RepoConfig {
  const overrides = config.environments?.[environment]?.rules ?? {};
  return { ...config, rules: { ...config.rules, ...overrides } };
}

interface ProtectionDeps {
  readonly services: AppServices;
  readonly store: ReportStore;
  readonly log: Logger;
}

async function deliver(deps: ProtectionDeps, gh: ProtectionRuleGitHub, review: ProtectionReview): Promise<boolean> {
  if (review.state === 'waiting' || review.deliveredAt !== null || review.comment === null) return false;
  const { store, services, log } = deps;
  try {
    await gh.reviewProtectionRule(review.runId, { environment: review.environment, state: review.state, comment: review.comment });
    await store.markProtectionReviewDelivered(review.id, services.now());
    log.info(
      { repo: repoKey(review.repo), reviewId: review.id, runId: review.runId, environment: review.environment, state: review.state },
      'protection rule answered',
    );
    return true;
  } catch (err) {
    const next = new Date(services.now().getTime() + protectionDeliveryDelayMs(review.deliveryAttempts));
    await store.markProtectionDeliveryFailed(review.id, err instanceof Error ? err.message : String(err), next, services.now());
    log.warn({ err, reviewId: review.id, nextAttemptAt: next.toISOString() }, 'protection rule answer not accepted by GitHub: retried later');
    return false;
  }
}

async function approvalContentOf(
  deps: ProtectionDeps,
  gh: ProtectionRuleGitHub,
  review: ProtectionReview,
  reason: ApprovalRequestContent['reason'],
): Promise<ApprovalRequestContent> {
  // The evaluation the review waits on (or was decided on), not whatever is newest for the SHA by now.
  const report = review.reportId !== null ? await deps.store.getReportById(review.reportId) : null;
  const checks = await gh.shaChecks(review.sha).catch((err: unknown) => {
    deps.log.warn({ err, reviewId: review.id }, 'could not read the statuses and check runs of the SHA');
    return [];
  });
  return buildApprovalRequestContent({
    reviewId: review.id,
    repo: review.repo,
    environment: review.environment,
    sha: review.sha,
    requestedBy: review.requestedBy,
    reportUrl: reportUrlFor(deps.services.env)(review.repo, review.sha) ?? '',
    report,
    checks,
    reason,
    approvers: review.approvers,
  });
}

/**
 * Records the answer (only while the review waits), then sends it to GitHub and updates the Slack request.
 * Returns the decided review, or null when someone else answered first.
 */
async function answer(
  deps: ProtectionDeps,
  gh: ProtectionRuleGitHub,
  review: ProtectionReview,
  decision: { state: 'approved' | 'rejected'; comment: string; decidedBy: string; reportId: number | null; at?: Date },
): Promise<ProtectionReview | null> {
  const decided = await deps.store.decideProtectionReview(review.id, { ...decision, at: decision.at ?? deps.services.now() });
  if (!decided) {
    deps.log.info({ reviewId: review.id }, 'protection review already answered: this answer is dropped');
    return null;
  }
  await deliver(deps, gh, decided);
  const poster = deps.services.approvalPoster;
  if (decided.slackMessage && poster) {
    const reason = decided.waitReason === 'approval' ? 'approval' : 'problems';
    try {
      await poster.update(decided.slackMessage, await approvalContentOf(deps, gh, decided, reason), {
        state: decision.state,
        by: decision.decidedBy,
        at: decided.decidedAt ?? deps.services.now().toISOString(),
        reason: decision.decidedBy === DEPLOY_CHECKER ? decision.comment : null,
      });
    } catch (err) {
      deps.log.warn({ err, reviewId: review.id }, 'could not update the Slack approval request');
    }
  }
  return decided;
}

/**
 * The evaluation a review is decided on: the row id `saveReport` returned for the evaluation just made, or — when
 * the check stored nothing (a shipped head keeps its stored evaluation; a store failure) — the newest stored deploy
 * evaluation of the SHA.
 */
async function evaluationId(store: ReportStore, review: ProtectionReview, savedId: number | null): Promise<number | null> {
  if (savedId !== null) return savedId;
  const evaluations = await store.listEvaluationsForSha(review.repo, review.sha);
  return evaluations.find((item) => item.kind === 'deploy' && item.pullRequestNumber === null)?.id ?? null;
}

/** The job: drive one review on — deliver a recorded answer, or evaluate and answer (or keep waiting). */
export async function runProtectionReview(services: AppServices, github: JobGitHub, reviewId: number): Promise<void> {
  const store = services.store;
  if (!store) return;
  const review = await store.getProtectionReview(reviewId);
  if (!review) return;
  const log = services.logger.child({ repo: repoKey(review.repo), reviewId, environment: review.environment, sha: review.sha });
  const deps: ProtectionDeps = { services, store, log };
  const gh = createProtectionRuleGitHub(github.edge, review.repo);
  if (review.state !== 'waiting') {
    await deliver(deps, gh, review);
    return;
  }

  const configResult = await loadRepoConfig(github.edge, review.repo);
  let situation: ProtectionSituation;
  let reportId: number | null = null;
  let approvers: readonly string[] = [];
  let slackChannel: string | null = null;
  if (!configResult.ok) {
    situation = { kind: 'config-invalid', error: configResult.error, maxWaitMs: DEFAULT_MAX_WAIT_MS };
  } else {
    const environment = configResult.config.environments?.[review.environment];
    slackChannel = configResult.config.slack.channel ?? null;
    if (!environment) {
      situation = { kind: 'not-configured' };
    } else {
      approvers = environment.approvers;
      const settings = { onProblems: environment.onProblems, maxWaitMs: parseDuration(environment.maxWait) ?? DEFAULT_MAX_WAIT_MS, approvers };
      const { report, savedId } = await evaluate(services, github.edge, gh, review, configForEnvironment(configResult.config, review.environment), log);
      reportId = await evaluationId(store, review, savedId);
      situation = { kind: 'evaluated', settings, state: report.state, findings: report.findings, error: report.error };
    }
  }

  const decision: ProtectionDecision = decideProtection({
    environment: review.environment,
    situation,
    requestedAt: review.requestedAt,
    now: services.now(),
    reportUrl: situation.kind === 'evaluated' ? reportUrlFor(services.env)(review.repo, review.sha) : null,
  });
  if (decision.kind === 'answer') {
    await answer(deps, gh, review, { state: decision.state, comment: decision.comment, decidedBy: DEPLOY_CHECKER, reportId });
    return;
  }
  log.info({ reason: decision.reason, detail: decision.detail }, 'protection review waits');
  await store.recordProtectionWait(review.id, { reason: decision.reason, detail: decision.detail, reportId, approvers }, services.now());
  const poster = services.approvalPoster;
  if ((decision.reason === 'problems' || decision.reason === 'approval') && slackChannel && poster && !review.slackMessage) {
    const waiting = await store.getProtectionReview(review.id);
    if (waiting?.state !== 'waiting') return;
    try {
      const message = await poster.post(slackChannel, await approvalContentOf(deps, gh, waiting, decision.reason));
      await store.recordProtectionSlackMessage(review.id, message, services.now());
    } catch (err) {
      log.warn({ err }, 'could not post the Slack approval request: tried again on the next evaluation');
    }
  }
}

/**
 * The deploy check of the deployment's SHA against what is live in its environment; the report is stored and the
 * stored row's id returned with it (null when the check stored nothing).
 */
async function evaluate(
  services: AppServices,
  edge: GitHubEdge,
  gh: ProtectionRuleGitHub,
  review: ProtectionReview,
  config: RepoConfig,
  log: Logger,
): Promise<{ report: DeployReport; savedId: number | null }> {
  let liveSha: string | null;
  try {
    liveSha = await gh.liveDeploymentSha(review.environment);
  } catch (err) {
    log.warn({ err }, 'could not read the deployments of the environment: comparing with the production branch');
    liveSha = null;
  }
  const store = services.store;
  let savedId: number | null = null;
  const reports: ReportSink | null = store && {
    saveReport: async (report) => {
      savedId = await store.saveReport(report);
      return savedId;
    },
    getReport: (repo, sha) => store.getReport(repo, sha),
  };
  const report = await checkDeploy(
    {
      history: createGitHubHistorySource(edge, review.repo),
      tickets: services.tickets,
      status: null,
      reports,
      reportUrl: reportUrlFor(services.env),
      now: services.now,
      logger: services.logger,
    },
    { repo: review.repo, config, trigger: 'protection_rule', headSha: review.sha, ...(liveSha ? { baseSha: liveSha } : {}) },
  );
  if (!report) throw new Error('the deploy check returned nothing for an explicit SHA');
  return { report, savedId };
}

const pendingOf = (review: ProtectionReview): PendingApproval => ({
  reviewId: review.id,
  repo: review.repo,
  environment: review.environment,
  sha: review.sha,
  approvers: review.approvers,
  state: review.state,
  slackMessage: review.slackMessage,
});

/** DeployApprovals for the Slack side: an approver's decision is recorded once and answers GitHub. */
export function createDeployApprovals(services: AppServices, octokits: Pick<InstallationOctokits, 'forInstallation' | 'installationIdFor'>): DeployApprovals {
  const log = services.logger.child({ component: 'deploy-approvals' });
  const storeOf = (): ReportStore => {
    if (!services.store) throw new Error('deploy approvals need a store (DATABASE_URL)');
    return services.store;
  };
  return {
    async get(reviewId) {
      const review = await storeOf().getProtectionReview(reviewId);
      return review ? pendingOf(review) : null;
    },
    async decide(decision: ApprovalDecision) {
      const store = storeOf();
      const review = await store.getProtectionReview(decision.reviewId);
      if (!review) throw new Error(`no protection review ${decision.reviewId}`);
      if (review.state !== 'waiting') return { applied: false, approval: pendingOf(review) };
      const installationId = review.installationId ?? (await octokits.installationIdFor(review.repo));
      const gh = createProtectionRuleGitHub(await octokits.forInstallation(installationId), review.repo);
      const who = decision.slackUserName ? `${decision.slackUserName} (${decision.slackUserId})` : decision.slackUserId;
      const verb = decision.state === 'approved' ? 'Approved' : 'Rejected';
      const comment = protectionComment(`${verb} in Slack by ${who}.`, reportUrlFor(services.env)(review.repo, review.sha));
      const decided = await answer({ services, store, log }, gh, review, {
        state: decision.state,
        comment,
        decidedBy: who,
        reportId: null,
        at: Number.isNaN(Date.parse(decision.at)) ? services.now() : new Date(decision.at),
      });
      const now = decided ?? (await store.getProtectionReview(review.id)) ?? review;
      return { applied: decided !== null, approval: pendingOf(now) };
    },
  };
}
