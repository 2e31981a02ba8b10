/**
 * Retention, in the background: once shortly after start and then hourly, old superseded evaluations lose their
 * commit lists (`pruneEvaluationCommits`, RETENTION_DAYS) in small batches with a pause between them, so a large
 * backlog never holds the store for long; GitHub and JIRA delivery records and finished status intents older than a
 * week are deleted.
 * Shipments are never pruned. Stopped on shutdown; a failed round is logged and tried again at the next one.
 */
import type { Logger } from 'pino';
import { DELIVERY_RETENTION_MS } from '../store/delivery-store.js';
import type { ReportStore } from '../store/report-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionPrunerOptions {
  readonly store: Pick<ReportStore, 'pruneEvaluationCommits' | 'pruneDeliveries' | 'pruneFinishedStatusIntents'>;
  readonly retentionDays: number;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Between rounds (default an hour). */
  readonly intervalMs?: number;
  /** Before the first round (default a minute: after start-up work). */
  readonly firstDelayMs?: number;
  /** Rows a batch (default 200). */
  readonly batchSize?: number;
  /** Between batches of one round (default 1 s). */
  readonly pauseMs?: number;
  /** Waits between batches; tests inject one that resolves at once. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly shutdown?: AbortSignal;
}

export interface RetentionPruner {
  /** One round: every batch due now. Resolves with what was pruned. */
  pruneOnce(): Promise<{ evaluations: number; deliveries: number; statusIntents: number }>;
  stop(): void;
}

export function startRetentionPruner(options: RetentionPrunerOptions): RetentionPruner {
  const log = options.logger.child({ component: 'retention-pruner' });
  const batchSize = options.batchSize ?? 200;
  const pauseMs = options.pauseMs ?? 1000;
  const sleep = options.sleep ?? defaultSleep;
  const stopped = new AbortController();
  let running: Promise<unknown> | null = null;

  /** Runs `prune` batch after batch, pausing between full batches, until a short one or a stop; returns the total. */
  const inBatches = async (prune: (batchSize: number) => Promise<number>): Promise<number> => {
    let total = 0;
    while (!stopped.signal.aborted) {
      const pruned = await prune(batchSize);
      total += pruned;
      if (pruned < batchSize) break;
      await sleep(pauseMs, stopped.signal);
    }
    return total;
  };

  const pruneOnce = async (): Promise<{ evaluations: number; deliveries: number; statusIntents: number }> => {
    const now = options.now();
    const cutoff = new Date(now.getTime() - options.retentionDays * DAY_MS);
    const evaluations = await inBatches((batch) => options.store.pruneEvaluationCommits(cutoff, batch));
    const weekAgo = new Date(now.getTime() - DELIVERY_RETENTION_MS);
    const deliveries = stopped.signal.aborted ? 0 : await options.store.pruneDeliveries(weekAgo);
    // Finished status intents (GitHub shows what was desired) are kept a week: long enough to recognise a redelivery.
    const statusIntents = await inBatches((batch) => options.store.pruneFinishedStatusIntents(weekAgo, batch));
    if (evaluations > 0 || deliveries > 0 || statusIntents > 0) {
      log.info({ evaluations, deliveries, statusIntents, cutoff: cutoff.toISOString() }, 'retention: pruned');
    }
    return { evaluations, deliveries, statusIntents };
  };

  const round = (): void => {
    if (running || stopped.signal.aborted) return;
    running = pruneOnce()
      .catch((err: unknown) => log.warn({ err }, 'retention round failed; trying again at the next one'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(round, options.firstDelayMs ?? 60_000);
  const timer = setInterval(round, options.intervalMs ?? 60 * 60 * 1000);
  first.unref();
  timer.unref();
  const stop = (): void => {
    stopped.abort();
    clearTimeout(first);
    clearInterval(timer);
  };
  options.shutdown?.addEventListener('abort', stop, { once: true });
  return { pruneOnce, stop };
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
