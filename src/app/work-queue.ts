/**
 * The bounded work queue behind the webhooks: handlers enqueue and return at once; jobs run with limited
 * concurrency. Jobs have a key (e.g. repo + branch): a job enqueued while an older one with the same key is still
 * waiting replaces it, so a newer push supersedes queued work (the job recomputes from current state anyway).
 */
import PQueue from 'p-queue';
import type { Logger } from 'pino';

export type EnqueueResult = 'queued' | 'superseded' | 'rejected';

export interface Enqueued {
  readonly result: EnqueueResult;
  /** Settles when the job that runs for this key (this one, or a newer one that replaced it) has finished. */
  readonly done: Promise<void>;
}

export interface WorkQueue {
  enqueue(key: string, job: () => Promise<void>): Enqueued;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  readonly size: number;
}

interface Waiting {
  job: () => Promise<void>;
  waiters: (() => void)[];
}

export function createWorkQueue(options: { concurrency: number; maxPending: number; logger: Logger }): WorkQueue {
  const queue = new PQueue({ concurrency: options.concurrency });
  const waiting = new Map<string, Waiting>();
  return {
    enqueue(key, job) {
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      const existing = waiting.get(key);
      if (existing) {
        existing.job = job;
        existing.waiters.push(resolveDone);
        options.logger.debug({ key }, 'queued job superseded by a newer one');
        return { result: 'superseded', done };
      }
      if (waiting.size >= options.maxPending) {
        options.logger.error({ key, pending: waiting.size }, 'work queue full: job rejected');
        resolveDone();
        return { result: 'rejected', done };
      }
      const entry: Waiting = { job, waiters: [resolveDone] };
      waiting.set(key, entry);
      void queue.add(async () => {
        waiting.delete(key);
        try {
          await entry.job();
        } catch (error) {
          options.logger.error({ err: error, key }, 'job failed');
        } finally {
          for (const w of entry.waiters) w();
        }
      });
      return { result: 'queued', done };
    },
    onIdle: () => queue.onIdle(),
    get size() {
      return waiting.size + queue.pending;
    },
  };
}
