/**
 * The intent sweep: drives every unfinished status intent to a final status — including repositories that have
 * no report yet. A cheap store query, run at start and every STATUS_SWEEP_INTERVAL_MS (default 5 s):
 *
 * - desired final status not posted (GitHub was down, the process died between recording and posting) → take it
 *   with a lease and post it; a failure is recorded with its retry time (2 s, 4 s … 60 s);
 * - no desired status and the evaluation's lease expired (the process died mid-evaluation) → take it with a lease
 *   and queue the evaluation again (a background job); if that job finds nothing to check any more (the pull
 *   request closed), the intent is dropped; if it fails, it is retried with the same backoff.
 *
 * Several replicas may sweep one PostgreSQL: each intent is taken by exactly one (conditional UPDATE … RETURNING).
 */
import type { InstallationOctokits } from '../github/installation-octokit.js';
import { createGitHubStatusSink } from '../github/github-status-sink.js';
import type { StatusIntent } from '../store/status-intent-store.js';
import { statusTimingOf, type AppServices } from './app-services.js';
import type { CheckJobs } from './check-jobs.js';
import { createLeaseOwners, postOwedStatus } from './status-outbox.js';
import { repoKey } from './job-keys.js';
import { startPeriodicRound } from './periodic-round.js';

export interface IntentSweepResult {
  readonly posted: number;
  readonly failed: number;
  readonly reevaluated: number;
}

export interface StatusIntentSweeper {
  runOnce(): Promise<IntentSweepResult>;
  stop(): Promise<void>;
}

const BATCH = 200;

export function createStatusIntentSweeper(
  services: AppServices,
  octokits: Pick<InstallationOctokits, 'forInstallation' | 'installationIdFor'>,
  jobs: CheckJobs,
  options: { intervalMs: number },
): StatusIntentSweeper {
  const { store, now } = services;
  const log = services.logger.child({ component: 'intent-sweep' });
  const timing = statusTimingOf(services);
  const newOwner = services.leaseOwners ?? createLeaseOwners();

  async function post(intent: StatusIntent): Promise<'posted' | 'failed' | 'unchanged'> {
    if (!store) return 'unchanged';
    const owner = newOwner();
    const installationId = intent.installationId ?? (await octokits.installationIdFor(intent.repo));
    const edge = await octokits.forInstallation(installationId);
    return postOwedStatus({ store, sink: createGitHubStatusSink(edge, intent.repo), now, timing, logger: log }, intent.id, owner);
  }

  async function reevaluate(intent: StatusIntent): Promise<boolean> {
    if (!store) return false;
    const owner = newOwner();
    const claimed = await store.claimStatusEvaluation(intent.id, { owner, until: new Date(now().getTime() + timing.leaseMs) }, now());
    if (!claimed) return false;
    const base = { repo: intent.repo, installationId: intent.installationId, trigger: 'reconcile' as const };
    const job =
      intent.subject.kind === 'pull_request'
        ? jobs.enqueue({ ...base, kind: 'pull_request', number: intent.subject.number })
        : jobs.enqueue({ ...base, kind: 'deploy', headSha: intent.sha });
    if (job.result === 'rejected') {
      await store.markStatusAttemptFailed(intent.id, owner, 'work queue full', new Date(now().getTime() + timing.retryDelayMs(intent.attempts)), now());
      return false;
    }
    // When the job has run: an evaluation re-opens the intent under its own lease; if none did (nothing to check any
    // more) the intent is dropped. A job that failed (GitHub down) is retried with backoff.
    void job.succeeded
      .then(async (ok): Promise<void> => {
        if (ok) await store.abandonStatusIntent(intent.id, owner);
        else
          await store.markStatusAttemptFailed(
            intent.id,
            owner,
            're-evaluation failed',
            new Date(now().getTime() + timing.retryDelayMs(intent.attempts)),
            now(),
          );
      })
      .catch((err: unknown) => log.warn({ err }, 'could not settle a re-evaluated intent'));
    return true;
  }

  /** No Octokit for the installation (GitHub down, App uninstalled): the intent is retried later, not every sweep. */
  async function backOff(intent: StatusIntent, error: unknown): Promise<void> {
    if (!store) return;
    const owner = newOwner();
    const lease = { owner, until: new Date(now().getTime() + timing.leaseMs) };
    const claimed = intent.desired !== null ? await store.claimStatusPost(intent.id, lease, now()) : await store.claimStatusEvaluation(intent.id, lease, now());
    if (!claimed) return;
    const reason = error instanceof Error ? error.message : String(error);
    await store.markStatusAttemptFailed(intent.id, owner, reason, new Date(now().getTime() + timing.retryDelayMs(claimed.attempts)), now());
  }

  async function sweep(): Promise<IntentSweepResult> {
    if (!store) return { posted: 0, failed: 0, reevaluated: 0 };
    let posted = 0;
    let failed = 0;
    let reevaluated = 0;
    for (const intent of await store.listDueStatusIntents(now(), BATCH)) {
      if (loop.isStopped()) break;
      try {
        if (intent.desired !== null) {
          const outcome = await post(intent);
          if (outcome === 'posted') posted += 1;
          if (outcome === 'failed') failed += 1;
        } else if (await reevaluate(intent)) {
          reevaluated += 1;
        }
      } catch (err) {
        failed += 1;
        log.warn({ err, repo: repoKey(intent.repo), sha: intent.sha, context: intent.context }, 'status intent not driven (GitHub down? App uninstalled?)');
        await backOff(intent, err).catch((backoffError: unknown) => log.warn({ err: backoffError }, 'could not schedule the retry of a status intent'));
      }
    }
    if (posted || failed || reevaluated) log.info({ posted, failed, reevaluated }, 'status intents swept');
    return { posted, failed, reevaluated };
  }

  const loop = startPeriodicRound({
    round: sweep,
    intervalMs: store ? options.intervalMs : 0,
    firstDelayMs: 0,
    onError: (err) => log.error({ err }, 'intent sweep failed'),
  });
  return { runOnce: loop.runOnce, stop: loop.stop };
}
