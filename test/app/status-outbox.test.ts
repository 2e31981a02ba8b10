/**
 * The status outbox on a real (in-memory SQLite) store with a recording StatusSink: what is posted, when, and what
 * is recorded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createIntentStatusOutbox, createLeaseOwners, defaultStatusTiming, type StatusTiming } from '../../src/app/status-outbox.js';
import type { StatusSink } from '../../src/core/ports.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';

const logger = pino({ level: 'silent' });
const REPO = { owner: 'acme', repo: 'shop' };
const SHA = 'a'.repeat(40);
const CONTEXT = 'deploy-checker';
const GREEN = { state: 'success' as const, description: 'All clear', targetUrl: 'https://checker.test/r' };

let store: ReportStore;
beforeEach(async () => {
  store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger });
});
afterEach(async () => {
  await store.close();
});

function recordingSink(options: { holdPending?: Promise<void> } = {}) {
  const posted: string[] = [];
  const sink: StatusSink = {
    async setStatus(_sha, status) {
      if (status.state === 'pending' && options.holdPending) await options.holdPending;
      posted.push(`${status.state}: ${status.description}`);
    },
  };
  return { posted, sink };
}

const outboxWith = (sink: StatusSink, timing: Partial<StatusTiming> = {}) =>
  createIntentStatusOutbox({
    store,
    sink,
    repo: REPO,
    installationId: 7,
    subject: { kind: 'deploy' },
    now: () => new Date(),
    timing: { ...defaultStatusTiming, ...timing },
    newOwner: createLeaseOwners(),
    logger,
  });

describe('status outbox', () => {
  it('records the intent at open, before anything is posted', async () => {
    const { posted, sink } = recordingSink();
    const outbox = outboxWith(sink, { pendingDelayMs: 60_000 });
    await outbox.open(SHA, CONTEXT);
    expect(posted).toEqual([]);
    expect(await store.getStatusIntent({ repo: REPO, sha: SHA, context: CONTEXT })).toMatchObject({ installationId: 7, desired: null });
    outbox.close();
  });

  it('a final status waits for a pending post already on its way, so GitHub gets them in order', async () => {
    let releasePending!: () => void;
    const holdPending = new Promise<void>((resolve) => (releasePending = resolve));
    const { posted, sink } = recordingSink({ holdPending });
    const owed = await outboxWith(sink, { pendingDelayMs: 0 }).open(SHA, CONTEXT);
    owed.progress('Checking 3 commits…', null);
    const settled = owed.settle(GREEN, 'p...d', new Date().toISOString());
    releasePending();
    await settled;
    expect(posted).toEqual(['pending: Checking 3 commits…', 'success: All clear']);
  });

  it('never posts pending over a final status, and re-posts the final only when it changed', async () => {
    const { posted, sink } = recordingSink();
    const outbox = outboxWith(sink, { pendingDelayMs: 0 });
    const first = await outbox.open(SHA, CONTEXT);
    await first.settle(GREEN, null, new Date().toISOString());
    const again = await outbox.open(SHA, CONTEXT);
    again.progress('Checking 3 commits…', null);
    await again.settle(GREEN, null, new Date().toISOString());
    const changed = await outbox.open(SHA, CONTEXT);
    changed.progress('Checking 3 commits…', null);
    await changed.settle({ ...GREEN, state: 'failure', description: '1 problem' }, null, new Date().toISOString());
    expect(posted).toEqual(['success: All clear', 'failure: 1 problem']);
  });

  it('a failed post stays owed with a retry time; nothing is thrown at the check', async () => {
    const sink: StatusSink = { setStatus: () => Promise.reject(Object.assign(new Error('Bad Gateway'), { status: 502 })) };
    const owed = await outboxWith(sink, { pendingDelayMs: 60_000 }).open(SHA, CONTEXT);
    await owed.settle(GREEN, null, new Date().toISOString());
    const intent = await store.getStatusIntent({ repo: REPO, sha: SHA, context: CONTEXT });
    expect(intent).toMatchObject({ desired: GREEN, posted: null, attempts: 1, leaseOwner: null });
    expect(Date.parse(intent!.nextAttemptAt!)).toBeGreaterThan(Date.now());
  });
});

describe('status outbox with check runs (status.kind)', () => {
  /** A sink that records what it is asked to show, delivery and check run output included. */
  function deliverySink() {
    const calls: { state: string; delivery: string | undefined; title: string | undefined }[] = [];
    const sink: StatusSink = {
      async setStatus(_sha, status) {
        calls.push({ state: status.state, delivery: status.delivery, title: status.checkRun?.title });
      },
    };
    return { calls, sink };
  }

  it.each([
    { delivery: 'status' as const, built: 0, shown: { state: 'success', delivery: undefined, title: undefined }, posted: GREEN },
    {
      delivery: 'check-run' as const,
      built: 1,
      shown: { state: 'success', delivery: 'check-run', title: 'All clear (run)' },
      posted: { ...GREEN, delivery: 'check-run', checkRun: { title: 'All clear (run)', summary: 'table' } },
    },
    {
      delivery: 'both' as const,
      built: 1,
      shown: { state: 'success', delivery: 'both', title: 'All clear (run)' },
      posted: { ...GREEN, delivery: 'both', checkRun: { title: 'All clear (run)', summary: 'table' } },
    },
  ])('$delivery: the output is built $built time(s), posted with the delivery and recorded', async ({ delivery, built, shown, posted }) => {
    const { calls, sink } = deliverySink();
    const outbox = createIntentStatusOutbox({
      store,
      sink,
      repo: REPO,
      installationId: 7,
      subject: { kind: 'deploy' },
      delivery,
      now: () => new Date(),
      timing: { ...defaultStatusTiming, pendingDelayMs: 0 },
      newOwner: createLeaseOwners(),
      logger,
    });
    let builds = 0;
    const checkRun = () => {
      builds += 1;
      return { title: 'All clear (run)', summary: 'table' };
    };
    const owed = await outbox.open(SHA, CONTEXT);
    owed.progress('Checking 1 commit…', GREEN.targetUrl);
    await owed.settle({ ...GREEN, checkRun }, 'p', new Date().toISOString());
    outbox.close();

    expect(builds).toBe(built);
    expect(calls).toEqual([{ state: 'pending', delivery, title: undefined }, shown]);
    expect((await store.getStatusIntent({ repo: REPO, sha: SHA, context: CONTEXT }))?.posted).toEqual(posted);
  });
});
