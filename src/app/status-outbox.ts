/**
 * The status outbox behind the core's StatusOutbox port.
 *
 * With a store, `open` records a status intent (src/store/status-intent-store.ts) before anything is evaluated or
 * posted, and holds its lease (renewed while the evaluation runs). `settle` records the desired final status, then
 * takes the intent for posting and posts it — unless GitHub already shows exactly that (a redelivery or a
 * re-evaluation with an unchanged outcome posts nothing). A post that fails stays recorded with a retry time; the
 * intent sweep (sweep-status-intents.ts) posts it later, and re-evaluates intents whose evaluation died with its
 * process. Without a store, statuses go straight to GitHub.
 *
 * Pending: "Checking N commits…" is posted only when the evaluation outlasts `pendingDelayMs` and the head has no
 * final status under the context yet, so small evaluations make one write, and a green head never blinks.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RepoRef } from '../core/domain.js';
import type { OwedStatus, StatusDelivery, StatusOutbox, StatusSink } from '../core/ports.js';
import { truncateDescription } from '../core/report/status-description.js';
import { describeGitHubError } from '../github/describe-github-error.js';
import type { FinalStatus, StatusIntent, StatusIntentStore, StatusSubject } from '../store/status-intent-store.js';

export interface StatusTiming {
  /** Pending is shown only for evaluations that take longer than this (0: at once). */
  readonly pendingDelayMs: number;
  /** Lease on an intent while evaluating or posting; renewed every third of it while the evaluation runs. */
  readonly leaseMs: number;
  /** Wait before the next attempt after `attempts` failed ones. */
  readonly retryDelayMs: (attempts: number) => number;
}

/** 2 s, 4 s, 8 s … capped at 60 s. */
export const defaultStatusRetryDelayMs = (attempts: number): number => Math.min(60_000, 2_000 * 2 ** Math.max(0, attempts));

export const defaultStatusTiming: StatusTiming = { pendingDelayMs: 1_000, leaseMs: 60_000, retryDelayMs: defaultStatusRetryDelayMs };

/** A StatusOutbox for one job; `close()` stops what its evaluations left running (lease renewals, pending timers). */
export interface ClosableStatusOutbox extends StatusOutbox {
  close(): void;
}

/** Posts "pending" once the delay has passed and a description is known, unless told not to. */
function createPendingGate(options: {
  delayMs: number;
  allowed: () => boolean;
  post: (description: string, targetUrl: string | null) => Promise<void>;
  logger: Logger;
}) {
  let elapsed = options.delayMs <= 0;
  let latest: { description: string; targetUrl: string | null } | null = null;
  let closed = false;
  let inFlight: Promise<void> | null = null;
  const maybePost = () => {
    if (closed || !elapsed || latest === null || inFlight !== null || !options.allowed()) return;
    const { description, targetUrl } = latest;
    inFlight = options.post(description, targetUrl).catch((err: unknown) => options.logger.warn({ err }, 'pending status not posted'));
  };
  const timer = elapsed
    ? null
    : setTimeout(() => {
        elapsed = true;
        maybePost();
      }, options.delayMs);
  timer?.unref();
  return {
    progress(description: string, targetUrl: string | null) {
      latest = { description, targetUrl };
      maybePost();
    },
    /** No pending from now on; resolves once a pending post already sent has finished (so the final comes after it). */
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}

type SettledStatus = Parameters<OwedStatus['settle']>[0];

/**
 * The final result to record and post: a commit status, plus — when the repository wants a check run — the
 * delivery and the check run's output (built only then; a status-only repository's intents stay as they were).
 */
export function toFinal(status: SettledStatus, delivery: StatusDelivery): FinalStatus {
  const base: FinalStatus = { state: status.state, description: status.description, targetUrl: status.targetUrl };
  if (delivery === 'status') return base;
  const checkRun = status.checkRun?.() ?? { title: truncateDescription(status.description), summary: status.description };
  return { ...base, delivery, checkRun: { title: checkRun.title, summary: checkRun.summary } };
}

/** Statuses straight to GitHub (no store): same pending rule, nothing recorded. */
export function createDirectStatusOutbox(
  sink: StatusSink,
  options: { pendingDelayMs: number; logger: Logger; delivery?: StatusDelivery },
): ClosableStatusOutbox {
  const delivery = options.delivery ?? 'status';
  const gates = new Set<ReturnType<typeof createPendingGate>>();
  return {
    async open(sha, context): Promise<OwedStatus> {
      const gate = createPendingGate({
        delayMs: options.pendingDelayMs,
        allowed: () => true,
        post: (description, targetUrl) => sink.setStatus(sha, { state: 'pending', description, context, targetUrl, delivery }),
        logger: options.logger,
      });
      gates.add(gate);
      return {
        progress: (description, targetUrl) => gate.progress(description, targetUrl),
        async settle(status) {
          gates.delete(gate);
          await gate.close();
          await sink.setStatus(sha, { ...toFinal(status, delivery), context });
        },
      };
    },
    close() {
      for (const gate of gates) void gate.close();
      gates.clear();
    },
  };
}

export interface IntentOutboxOptions {
  readonly store: StatusIntentStore;
  readonly sink: StatusSink;
  readonly repo: RepoRef;
  readonly installationId: number | null;
  readonly subject: StatusSubject;
  /** Commit status, check run or both (repo config `status.kind`; default status). */
  readonly delivery?: StatusDelivery;
  readonly now: () => Date;
  readonly timing: StatusTiming;
  /** A new lease owner name, unique per evaluation (replica id + counter). */
  readonly newOwner: () => string;
  readonly logger: Logger;
}

/** Lease owner names for one process: a random replica id and a counter. */
export function createLeaseOwners(): () => string {
  const replica = randomUUID().slice(0, 8);
  let n = 0;
  return () => `${replica}:${++n}`;
}

export function createIntentStatusOutbox(options: IntentOutboxOptions): ClosableStatusOutbox {
  const { store, timing, now, logger } = options;
  const closers = new Set<() => void>();
  const delivery = options.delivery ?? 'status';
  const direct = createDirectStatusOutbox(options.sink, { pendingDelayMs: timing.pendingDelayMs, logger, delivery });
  return {
    async open(sha, context): Promise<OwedStatus> {
      const owner = options.newOwner();
      const lease = () => ({ owner, until: new Date(now().getTime() + timing.leaseMs) });
      let intent: StatusIntent;
      try {
        intent = await store.beginStatusEvaluation(
          { repo: options.repo, sha, context, installationId: options.installationId, subject: options.subject },
          lease(),
          now(),
        );
      } catch (err) {
        // The store is down: the status still goes to GitHub, as before the outbox (a store failure never blocks it).
        logger.error({ err, sha, context }, 'could not record the status intent: posting directly');
        return direct.open(sha, context);
      }
      const renew = setInterval(
        () => {
          store.renewStatusIntentLease(intent.id, lease()).catch((err: unknown) => logger.warn({ err }, 'could not renew a status lease'));
        },
        Math.max(1, Math.floor(timing.leaseMs / 3)),
      );
      renew.unref();
      const gate = createPendingGate({
        delayMs: timing.pendingDelayMs,
        // Never pending over a final status: only heads that never got one show progress.
        allowed: () => intent.posted === null,
        post: (description, targetUrl) => options.sink.setStatus(sha, { state: 'pending', description, context, targetUrl, delivery }),
        logger,
      });
      const stop = () => {
        clearInterval(renew);
        void gate.close();
      };
      closers.add(stop);
      return {
        progress: (description, targetUrl) => gate.progress(description, targetUrl),
        async settle(status, fingerprint, evaluatedAt) {
          try {
            await gate.close();
            await store.recordDesiredStatus(intent.id, { status: toFinal(status, delivery), fingerprint, evaluatedAt }, now());
            clearInterval(renew);
            await postOwedStatus({ store, sink: options.sink, now, timing, logger }, intent.id, owner, { justEvaluated: true });
          } finally {
            stop();
            closers.delete(stop);
          }
        },
      };
    },
    close() {
      for (const stop of closers) stop();
      closers.clear();
      direct.close();
    },
  };
}

export type PostOutcome = 'posted' | 'unchanged' | 'failed';

/**
 * Takes the intent and posts its desired final status; records the post, or the failure with its retry time.
 * `unchanged`: nothing to post (GitHub already shows it) or another worker holds it.
 */
export async function postOwedStatus(
  deps: { store: StatusIntentStore; sink: StatusSink; now: () => Date; timing: StatusTiming; logger: Logger },
  id: number,
  owner: string,
  options: { justEvaluated?: boolean } = {},
): Promise<PostOutcome> {
  const { store, now, timing, logger } = deps;
  let outcome: PostOutcome = 'unchanged';
  // A second round posts a newer outcome recorded while the first was in flight.
  for (let round = 0; round < 3; round++) {
    const claimed: StatusIntent | null = await store.claimStatusPost(id, { owner, until: new Date(now().getTime() + timing.leaseMs) }, now(), {
      ignoreSchedule: options.justEvaluated === true && round === 0,
    });
    if (claimed === null || claimed.desired === null) {
      if (round === 0) await store.releaseStatusIntent(id, owner, now());
      return outcome;
    }
    const desired = claimed.desired;
    try {
      await deps.sink.setStatus(claimed.sha, { ...desired, context: claimed.context });
    } catch (error) {
      const retryAt = new Date(now().getTime() + timing.retryDelayMs(claimed.attempts));
      const reason = describeGitHubError(error, 'posting the commit status');
      logger.warn(
        { err: error, repo: `${claimed.repo.owner}/${claimed.repo.repo}`, sha: claimed.sha, context: claimed.context, retryAt },
        'final status not posted: retried later',
      );
      await store.markStatusAttemptFailed(id, owner, reason, retryAt, now());
      return 'failed';
    }
    await store.markStatusPosted(id, owner, { status: desired, fingerprint: claimed.desiredFingerprint }, now());
    outcome = 'posted';
  }
  return outcome;
}
