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
