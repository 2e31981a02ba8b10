/**
 * The retention pruner with an injected clock: the cut-offs it derives (RETENTION_DAYS for evaluations, a week
 * for deliveries), its batches with a pause between them, its schedule (shortly after start, then every interval),
 * stopping, and a round against a real store. RETENTION_DAYS parsing too.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnvError, readEnvOptions } from '../../src/app/read-env-options.js';
import { startRetentionPruner, type RetentionPruner } from '../../src/app/retention-pruner.js';
import { createReportStore } from '../../src/store/create-report-store.js';
import { fakeSha, makeReport } from '../store/fixtures.js';

const logger = pino({ level: 'silent' });
const NOW = new Date('2026-12-02T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

/** A store double that hands out `batches` (rows pruned per call, in order) and records every call. */
function recordingStore(batches: number[], intentBatches: number[] = []) {
  const calls: { evaluations: [string, number][]; deliveries: string[]; intents: [string, number][] } = { evaluations: [], deliveries: [], intents: [] };
  return {
    calls,
    store: {
      async pruneEvaluationCommits(before: Date, batchSize: number) {
        calls.evaluations.push([before.toISOString(), batchSize]);
        return batches.shift() ?? 0;
      },
      async pruneDeliveries(before: Date) {
        calls.deliveries.push(before.toISOString());
        return 3;
      },
      async pruneFinishedStatusIntents(before: Date, batchSize: number) {
        calls.intents.push([before.toISOString(), batchSize]);
        return intentBatches.shift() ?? 0;
      },
    },
  };
}

let pruner: RetentionPruner | null = null;
afterEach(() => {
  pruner?.stop();
  pruner = null;
  vi.useRealTimers();
});

describe('retention pruner', () => {
  it('prunes evaluations older than RETENTION_DAYS in batches with a pause between them, then week-old deliveries', async () => {
    const { calls, store } = recordingStore([2, 2, 1], [2, 1]);
    const pauses: number[] = [];
    pruner = startRetentionPruner({
      store,
      retentionDays: 30,
      logger,
      now: () => NOW,
      batchSize: 2,
      pauseMs: 250,
      sleep: async (ms) => {
        pauses.push(ms);
      },
    });
    expect(await pruner.pruneOnce()).toEqual({ evaluations: 5, deliveries: 3, statusIntents: 3 });
    const cutoff = new Date(NOW.getTime() - 30 * DAY).toISOString();
    expect(calls.evaluations).toEqual([
      [cutoff, 2],
      [cutoff, 2],
      [cutoff, 2],
    ]);
    // A pause after each full batch; the short last batch ends the round.
    expect(pauses).toEqual([250, 250, 250]);
    const weekAgo = new Date(NOW.getTime() - 7 * DAY).toISOString();
    expect(calls.deliveries).toEqual([weekAgo]);
    expect(calls.intents).toEqual([
      [weekAgo, 2],
      [weekAgo, 2],
    ]);
  });

  it('runs shortly after start and then every interval, and not after stop', async () => {
    vi.useFakeTimers();
    const { calls, store } = recordingStore([]);
    pruner = startRetentionPruner({ store, retentionDays: 180, logger, now: () => NOW, firstDelayMs: 1_000, intervalMs: 60_000 });
    expect(calls.evaluations).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.evaluations).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.evaluations).toHaveLength(2);
    pruner.stop();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(calls.evaluations).toHaveLength(2);
  });

  it('stops between batches when the app shuts down', async () => {
    const shutdown = new AbortController();
    const { calls, store } = recordingStore([2, 2, 2, 2]);
    pruner = startRetentionPruner({
      store,
      retentionDays: 1,
      logger,
      now: () => NOW,
      batchSize: 2,
      shutdown: shutdown.signal,
      sleep: async () => shutdown.abort(),
    });
    expect(await pruner.pruneOnce()).toEqual({ evaluations: 2, deliveries: 0, statusIntents: 0 });
    expect(calls.evaluations).toHaveLength(1);
    expect(calls.deliveries).toEqual([]);
    expect(calls.intents).toEqual([]);
  });

  it('empties the commit lists of old superseded evaluations in a real store and keeps the newest', async () => {
    const store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger });
    try {
      const head = fakeSha('head');
      const old = await store.saveReport(makeReport({ headSha: head, evaluatedAt: '2026-01-01T00:00:00.000Z' }));
      const newest = await store.saveReport(makeReport({ headSha: head, evaluatedAt: '2026-01-02T00:00:00.000Z', baseSha: fakeSha('prod-2') }));
      pruner = startRetentionPruner({ store, retentionDays: 180, logger, now: () => NOW, sleep: async () => {} });
      expect((await pruner.pruneOnce()).evaluations).toBe(1);
      expect((await store.getReportById(old))?.commits).toEqual([]);
      expect((await store.getReportById(newest))?.commits).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});

describe('finished status intents', () => {
  it('deletes week-old finished intents in a real store and keeps unfinished and recent ones', async () => {
    const store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger });
    try {
      const repo = { owner: 'acme', repo: 'shop' };
      const old = new Date(NOW.getTime() - 10 * DAY);
      const lease = (at: Date) => ({ owner: 'replica-1', until: new Date(at.getTime() + 60_000) });
      const status = { state: 'success' as const, description: 'All clear', targetUrl: null };
      /** An intent evaluated and posted at `at` (finished), or only evaluating (unfinished). */
      const intent = async (sha: string, at: Date, finished: boolean) => {
        const begun = await store.beginStatusEvaluation(
          { repo, sha, context: 'deploy-checker', installationId: 1, subject: { kind: 'deploy' } },
          lease(at),
          at,
        );
        if (!finished) return begun.id;
        await store.recordDesiredStatus(begun.id, { status, fingerprint: null, evaluatedAt: at.toISOString() }, at);
        const claimed = await store.claimStatusPost(begun.id, lease(at), at, { ignoreSchedule: true });
        expect(claimed).not.toBeNull();
        await store.markStatusPosted(begun.id, 'replica-1', { status, fingerprint: null }, at);
        return begun.id;
      };
      await intent(fakeSha('old-finished'), old, true);
      await intent(fakeSha('old-unfinished'), old, false);
      await intent(fakeSha('recent-finished'), new Date(NOW.getTime() - DAY), true);
      await store.releaseAllStatusLeases(NOW);
      pruner = startRetentionPruner({ store, retentionDays: 180, logger, now: () => NOW, sleep: async () => {} });
      expect((await pruner.pruneOnce()).statusIntents).toBe(1);
      const key = (sha: string) => ({ repo, sha, context: 'deploy-checker' });
      expect(await store.getStatusIntent(key(fakeSha('old-finished')))).toBeNull();
      expect(await store.getStatusIntent(key(fakeSha('old-unfinished')))).not.toBeNull();
      expect(await store.getStatusIntent(key(fakeSha('recent-finished')))).not.toBeNull();
    } finally {
      await store.close();
    }
  });
});

describe('RETENTION_DAYS', () => {
  it('defaults to 180 days and accepts a whole number of at least 1', () => {
    expect(readEnvOptions({ WEB_AUTH: 'off' }).retentionDays).toBe(180);
    expect(readEnvOptions({ WEB_AUTH: 'off', RETENTION_DAYS: '30' }).retentionDays).toBe(30);
  });

  it.each(['0', '-5', '1.5', 'forever'])('refuses %s', (value) => {
    expect(() => readEnvOptions({ WEB_AUTH: 'off', RETENTION_DAYS: value })).toThrow(EnvError);
    expect(() => readEnvOptions({ WEB_AUTH: 'off', RETENTION_DAYS: value })).toThrow(/RETENTION_DAYS/);
  });
});
