/**
 * The protection review loop: every PROTECTION_RECHECK_INTERVAL_MS (default 5 minutes) each waiting review is
 * evaluated again (JIRA may be back, a ticket fixed without a webhook, maxWait passed) and each recorded answer
 * GitHub has not accepted yet is sent again once its retry time has come. One store query per tick; the work
 * runs as background jobs in the queue. Stopped on shutdown. Tests call `tick()` instead of the timer.
 */
import type { ProtectionReview } from '../store/protection-review-store.js';
import { startPeriodicRound } from './periodic-round.js';
import type { AppServices } from './app-services.js';
import type { CheckJobs } from './check-jobs.js';

export interface ProtectionReviewLoop {
  /** One round: queues every waiting or due review; resolves when those jobs are done. */
  tick(): Promise<{ readonly queued: number }>;
  stop(): Promise<void>;
}

/** Queues the job of each review (background share); resolves when they have run. */
export async function enqueueProtectionReviews(jobs: CheckJobs, reviews: readonly ProtectionReview[]): Promise<number> {
  const queued = reviews.map((review) =>
    jobs.enqueue({ kind: 'protection_review', repo: review.repo, installationId: review.installationId, reviewId: review.id, background: true }),
  );
  await Promise.all(queued.map((job) => job.done.catch(() => undefined)));
  return queued.length;
}

export function createProtectionReviewLoop(services: AppServices, jobs: CheckJobs, options: { intervalMs: number }): ProtectionReviewLoop {
  const log = services.logger.child({ component: 'protection-review-loop' });

  async function round(): Promise<{ queued: number }> {
    const store = services.store;
    if (!store) return { queued: 0 };
    const due = [...(await store.listWaitingProtectionReviews()), ...(await store.listUndeliveredProtectionReviews(services.now()))];
    if (due.length) log.info({ reviews: due.length }, 'protection reviews: evaluating waiting ones, delivering due answers');
    return { queued: await enqueueProtectionReviews(jobs, due) };
  }

  // One round at a time: a tick during a round waits for it instead of queuing everything twice.
  const loop = startPeriodicRound({
    round,
    intervalMs: options.intervalMs,
    firstDelayMs: options.intervalMs,
    onError: (err) => log.error({ err }, 'protection review round failed'),
  });
  return { tick: loop.runOnce, stop: loop.stop };
}
