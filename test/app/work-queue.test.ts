import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createWorkQueue } from '../../src/app/work-queue.js';

const logger = pino({ level: 'silent' });

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
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

  it('a job enqueued while the same key is running runs again afterwards (it may see newer state)', async () => {
    const q = createWorkQueue({ concurrency: 2, maxPending: 10, logger });
    const ran: string[] = [];
    const running = gate();
    const a = q.enqueue('k', async () => {
      ran.push('a');
      await running.opened;
    });
    await new Promise((r) => setTimeout(r, 5));
    const b = q.enqueue('k', async () => void ran.push('b'));
    expect(b.result).toBe('queued');
    running.open();
    await Promise.all([a.done, b.done]);
    expect(ran).toEqual(['a', 'b']);
  });

  it('is bounded: beyond maxPending distinct keys, jobs are rejected (and their done settles)', async () => {
    const q = createWorkQueue({ concurrency: 1, maxPending: 2, logger });
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
