/**
 * The bounded, fair work queue behind the webhooks: handlers enqueue and return at once; jobs run with limited
 * concurrency.
 *
 * - Keys: at most one job per key runs at a time. A job enqueued while its key is waiting replaces the waiting one;
 *   while its key is running it waits for the running one, replacing any older job waiting behind it — the newest
 *   job wins, and every job recomputes from current state anyway.
 * - Lanes: each job belongs to a lane (the GitHub installation). Ready lanes take turns, one job each (round
 *   robin), so a burst from one installation delays another's job by at most one job per busy lane. Each lane has
 *   its own pending cap.
 * - Shares: `background` jobs (web and JIRA re-checks, reconciliation) have lanes of their own and get one start in
 *   `backgroundEvery` while webhook work is ready, so a visitor cannot fill the queue against a push.
 */
import type { Logger } from 'pino';

export type EnqueueResult = 'queued' | 'superseded' | 'rejected';

export interface Enqueued {
  readonly result: EnqueueResult;
  /** Settles when the job that runs for this key (this one, or a newer one that replaced it) has finished. */
  readonly done: Promise<void>;
  /** Like `done`, telling whether that job finished without throwing (false also when rejected). */
  readonly succeeded: Promise<boolean>;
}

export interface EnqueueOptions {
  /** Fairness lane: the installation id (jobs without one share the lane "app"). */
  readonly lane?: string | number | null;
  /** `background` for re-checks not caused by a GitHub event. */
  readonly share?: 'webhook' | 'background';
}

export interface WorkQueue {
  enqueue(key: string, job: () => Promise<void>, options?: EnqueueOptions): Enqueued;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  /** Refuses new jobs from now on (shutdown); running and queued ones continue. */
  stopAccepting(): void;
  readonly size: number;
}

export interface WorkQueueOptions {
  readonly concurrency: number;
  /** Most jobs waiting in the whole queue. */
  readonly maxPending: number;
  /** Most jobs waiting in one lane (default: a quarter of maxPending, at least 1). */
  readonly maxPendingPerLane?: number;
  /** While webhook work is ready, one start in this many goes to background work (default 4). */
  readonly backgroundEvery?: number;
  readonly logger: Logger;
}

interface Slot {
  job: () => Promise<void>;
  waiters: ((ok: boolean) => void)[];
  lane: string;
}

interface KeyState {
  running: boolean;
  /** The job that runs next for this key (ready in its lane, or waiting behind the running one). */
  next: Slot | null;
}

export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const perLaneCap = options.maxPendingPerLane ?? Math.max(1, Math.floor(options.maxPending / 4));
  const backgroundEvery = options.backgroundEvery ?? 4;
  const keys = new Map<string, KeyState>();
  /** Per lane, keys whose `next` may start now, oldest first. */
  const lanes = new Map<string, string[]>();
  const laneOrder = { webhook: [] as string[], background: [] as string[] };
  const pendingByLane = new Map<string, number>();
  let pending = 0;
  let running = 0;
  let starts = 0;
  let accepting = true;
  let idleWaiters: (() => void)[] = [];

  const laneName = (o: EnqueueOptions) => `${o.share ?? 'webhook'}:${o.lane ?? 'app'}`;

  function makeReady(key: string, lane: string): void {
    let list = lanes.get(lane);
    if (!list) {
      list = [];
      lanes.set(lane, list);
      laneOrder[lane.startsWith('background:') ? 'background' : 'webhook'].push(lane);
    }
    list.push(key);
  }

  function takeFrom(order: string[]): string | null {
    while (order.length > 0) {
      const lane = order.shift()!;
      const list = lanes.get(lane)!;
      const key = list.shift()!;
      if (list.length > 0) order.push(lane);
      else lanes.delete(lane);
      return key;
    }
    return null;
  }

  function pickKey(): string | null {
    const backgroundTurn = laneOrder.background.length > 0 && (laneOrder.webhook.length === 0 || starts % backgroundEvery === backgroundEvery - 1);
    return backgroundTurn ? takeFrom(laneOrder.background) : takeFrom(laneOrder.webhook);
  }

  function pump(): void {
    while (running < options.concurrency) {
      const key = pickKey();
      if (key === null) break;
      const state = keys.get(key)!;
      const slot = state.next!;
      state.next = null;
      state.running = true;
      pending -= 1;
      pendingByLane.set(slot.lane, (pendingByLane.get(slot.lane) ?? 1) - 1);
      running += 1;
      starts += 1;
      void run(key, state, slot);
    }
    if (running === 0 && pending === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  async function run(key: string, state: KeyState, slot: Slot): Promise<void> {
    let ok = false;
    try {
      await slot.job();
      ok = true;
    } catch (error) {
      options.logger.error({ err: error, key }, 'job failed');
    } finally {
      running -= 1;
      state.running = false;
      for (const w of slot.waiters) w(ok);
      if (state.next) makeReady(key, state.next.lane);
      else keys.delete(key);
      pump();
    }
  }

  return {
    enqueue(key, job, enqueueOptions = {}) {
      let resolveDone!: (ok: boolean) => void;
      const succeeded = new Promise<boolean>((r) => (resolveDone = r));
      const done = succeeded.then(() => undefined);
      const lane = laneName(enqueueOptions);
      const state = keys.get(key);
      if (state?.next) {
        state.next.job = job;
        state.next.waiters.push(resolveDone);
        options.logger.debug({ key }, 'queued job superseded by a newer one');
        return { result: 'superseded', done, succeeded };
      }
      const laneCount = pendingByLane.get(lane) ?? 0;
      if (!accepting || pending >= options.maxPending || laneCount >= perLaneCap) {
        options.logger.error({ key, lane, pending, laneCount, accepting }, accepting ? 'work queue full: job rejected' : 'shutting down: job rejected');
        resolveDone(false);
        return { result: 'rejected', done, succeeded };
      }
      pending += 1;
      pendingByLane.set(lane, laneCount + 1);
      const slot: Slot = { job, waiters: [resolveDone], lane };
      if (state) {
        state.next = slot; // waits for the running job of its key
      } else {
        keys.set(key, { running: false, next: slot });
        makeReady(key, lane);
      }
      pump();
      return { result: 'queued', done, succeeded };
    },
    onIdle() {
      if (running === 0 && pending === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    stopAccepting() {
      accepting = false;
    },
    get size() {
      return pending + running;
    },
  };
}
