import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createWorkQueue } from '../../src/app/work-queue.js';

const logger = pino({ level: 'silent' });

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** A job that signals when it starts and finishes only when released. */
function heldJob(log: string[], name: string) {
  const started = gate();
  const release = gate();
  return {
    started: started.opened,
    release: release.open,
    job: async () => {
      log.push(`start ${name}`);
      started.open();
      await release.opened;
      log.push(`end ${name}`);
    },
  };
}

describe('work queue', () => {
  it('a newer job with the same key replaces one that is still waiting; both callers see it finish', async () => {
    const q = createWorkQueue({ concurrency: 1, maxPending: 10, logger });
    const ran: string[] = [];
    const blocker = gate();
    q.enqueue('other', () => blocker.opened);
    const first = q.enqueue('repo:deploy', async () => void ran.push('first'));
    const second = q.enqueue('repo:deploy', async () => void ran.push('second'));
    expect([first.result, second.result]).toEqual(['queued', 'superseded']);
    blocker.open();
    await Promise.all([first.done, second.done]);
    expect(ran).toEqual(['second']);
  });

  it('a job enqueued while its key is running waits for it — the two never overlap — and then runs', async () => {
    const q = createWorkQueue({ concurrency: 4, maxPending: 10, logger });
    const log: string[] = [];
    const a = heldJob(log, 'a');
    const first = q.enqueue('k', a.job);
    await a.started;
    const second = q.enqueue('k', async () => void log.push('run b'));
    expect(second.result).toBe('queued');
    // Free slots exist, yet b must not start while a runs.
    await q.enqueue('unrelated', async () => {}).done;
    expect(log).toEqual(['start a']);
    a.release();
    await Promise.all([first.done, second.done]);
    expect(log).toEqual(['start a', 'end a', 'run b']);
  });

  it('while a key runs, the newest of the jobs waiting behind it wins; every caller sees it finish', async () => {
    const q = createWorkQueue({ concurrency: 2, maxPending: 10, logger });
    const log: string[] = [];
    const a = heldJob(log, 'a');
    q.enqueue('k', a.job);
    await a.started;
    const b = q.enqueue('k', async () => void log.push('run b'));
    const c = q.enqueue('k', async () => void log.push('run c'));
    expect([b.result, c.result]).toEqual(['queued', 'superseded']);
    a.release();
    await Promise.all([b.done, c.done]);
    expect(log).toEqual(['start a', 'end a', 'run c']);
  });

  it('is fair across installations: a flood of 200 jobs from A delays B’s single job by at most one job', async () => {
    const q = createWorkQueue({ concurrency: 1, maxPending: 1000, maxPendingPerLane: 500, logger });
    const order: string[] = [];
    const blocker = gate();
    q.enqueue('a:blocker', () => blocker.opened, { lane: 1 });
    for (let i = 0; i < 200; i++) q.enqueue(`a:${i}`, async () => void order.push(`a${i}`), { lane: 1 });
    const b = q.enqueue('b:push', async () => void order.push('b'), { lane: 2 });
    expect(b.result).toBe('queued');
    blocker.open();
    await b.done;
    expect(order.indexOf('b')).toBeLessThanOrEqual(1);
    await q.onIdle();
    expect(order).toHaveLength(201);
  });

  it('caps each installation: a full lane rejects, another installation still gets in', async () => {
    const q = createWorkQueue({ concurrency: 1, maxPending: 100, maxPendingPerLane: 3, logger });
    const blocker = gate();
    q.enqueue('blocker', () => blocker.opened, { lane: 1 });
    const results = [0, 1, 2, 3].map((i) => q.enqueue(`a:${i}`, async () => {}, { lane: 1 }).result);
    expect(results).toEqual(['queued', 'queued', 'queued', 'rejected']);
    expect(q.enqueue('b:0', async () => {}, { lane: 2 }).result).toBe('queued');
    blocker.open();
    await q.onIdle();
  });

  it('background re-checks get their own lanes and a smaller share: a visitor’s 50 re-checks neither fill the queue nor hold up a push', async () => {
    const q = createWorkQueue({ concurrency: 1, maxPending: 100, maxPendingPerLane: 50, backgroundEvery: 4, logger });
    const order: string[] = [];
    const blocker = gate();
    q.enqueue('blocker', () => blocker.opened, { lane: 9, share: 'background' });
    for (let i = 0; i < 50; i++) q.enqueue(`recheck:${i}`, async () => void order.push(`r${i}`), { lane: 1, share: 'background' });
    const push = q.enqueue('push', async () => void order.push('push'), { lane: 1 });
    expect(push.result).toBe('queued');
    blocker.open();
    await push.done;
    expect(order.indexOf('push')).toBeLessThanOrEqual(1);
    await q.onIdle();
  });

  it('is bounded: beyond maxPending jobs, jobs are rejected (and their done settles)', async () => {
    const q = createWorkQueue({ concurrency: 1, maxPending: 2, maxPendingPerLane: 10, logger });
    const blocker = gate();
    q.enqueue('a', () => blocker.opened);
    q.enqueue('b', async () => {});
    q.enqueue('c', async () => {});
    const d = q.enqueue('d', async () => {});
    expect(d.result).toBe('rejected');
    await d.done;
    blocker.open();
    await q.onIdle();
  });

  it('after stopAccepting, new jobs are rejected while queued ones still finish', async () => {
    const q = createWorkQueue({ concurrency: 1, maxPending: 10, logger });
    const ran: string[] = [];
    const blocker = gate();
    q.enqueue('a', () => blocker.opened);
    q.enqueue('b', async () => void ran.push('b'));
    q.stopAccepting();
    expect(q.enqueue('c', async () => void ran.push('c')).result).toBe('rejected');
    blocker.open();
    await q.onIdle();
    expect(ran).toEqual(['b']);
  });

  it('a failing job is logged, does not stop the queue, and settles done', async () => {
    const q = createWorkQueue({ concurrency: 1, maxPending: 10, logger });
    const failing = q.enqueue('x', async () => {
      throw new Error('boom');
    });
    let ran = false;
    const next = q.enqueue('y', async () => {
      ran = true;
    });
    await Promise.all([failing.done, next.done]);
    expect(ran).toBe(true);
  });
});
