/**
 * The bounded work queue behind the webhooks: handlers enqueue and return at once; jobs run with limited
 * concurrency. Jobs have a key (e.g. repo + branch): a job enqueued while an older one with the same key is still
 * waiting replaces it, so a newer push supersedes queued work (the job recomputes from current state anyway).
 */
import PQueue from 'p-queue';
import type { Logger } from 'pino';

export type EnqueueResult = 'queued' | 'superseded' | 'rejected';

export interface WorkQueue {
  enqueue(key: string, job: () => Promise<void>): EnqueueResult;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  readonly size: number;
}

export function createWorkQueue(options: { concurrency: number; maxPending: number; logger: Logger }): WorkQueue {
  const queue = new PQueue({ concurrency: options.concurrency });
  const waiting = new Map<string, () => Promise<void>>();
  return {
    enqueue(key, job) {
      if (waiting.has(key)) {
        waiting.set(key, job);
        options.logger.debug({ key }, 'queued job superseded by a newer one');
        return 'superseded';
      }
      if (waiting.size >= options.maxPending) {
        options.logger.error({ key, pending: waiting.size }, 'work queue full: job rejected');
        return 'rejected';
      }
      waiting.set(key, job);
      void queue.add(async () => {
        const latest = waiting.get(key);
        waiting.delete(key);
        if (!latest) return;
        try {
          await latest();
        } catch (error) {
          options.logger.error({ err: error, key }, 'job failed');
        }
      });
      return 'queued';
    },
    onIdle: () => queue.onIdle(),
    get size() {
      return waiting.size + queue.pending;
    },
  };
}
