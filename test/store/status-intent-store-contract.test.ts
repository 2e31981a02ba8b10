/**
 * The StatusIntentStore contract (the status outbox), on SQLite and PostgreSQL. Two store instances on one
 * database stand for two replicas; the clock is injected.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import type { FinalStatus } from '../../src/store/status-intent-store.js';
import { fakeSha } from './fixtures.js';
import { postgresBackend, sqliteBackend } from './store-test-backends.js';
import type { FreshDatabase, StoreTestBackend } from './store-test-backends.js';

const logger = pino({ level: 'silent' });
const ACME = { owner: 'acme', repo: 'payments' } as const;
const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const key = { repo: ACME, sha: fakeSha('head'), context: 'deploy-checker' };
const intentInput = { ...key, installationId: 77, subject: { kind: 'deploy' as const } };
const SUCCESS: FinalStatus = { state: 'success', description: 'All clear', targetUrl: 'https://checker.test/x' };
const FAILURE: FinalStatus = { state: 'failure', description: '1 problem', targetUrl: 'https://checker.test/x' };

describe.each<StoreTestBackend>([sqliteBackend, postgresBackend])('StatusIntentStore on $name', (backend) => {
  let database: FreshDatabase | null = null;
  let store: ReportStore;
  let replica: ReportStore;
  let open: ReportStore[] = [];

  beforeEach(async () => {
    database = await backend.freshDatabase();
    const openStore = async () => {
      const opened = await createReportStore({ databaseUrl: database!.url, logger, now: () => at(0) });
      open.push(opened);
      return opened;
    };
    store = await openStore();
    replica = await openStore();
  });

  afterEach(async () => {
    const closing = open;
    open = [];
    await Promise.all(closing.map((opened) => opened.close()));
    await database?.dispose();
    database = null;
  });

  it('records the intent before anything is known: unfinished, leased, with installation and subject', async () => {
    const intent = await store.beginStatusEvaluation(intentInput, { owner: 'a', until: at(60) }, at(0));
    expect(intent).toMatchObject({ ...key, installationId: 77, subject: { kind: 'deploy' }, desired: null, posted: null, leaseOwner: 'a' });
    expect(await replica.getStatusIntent(key)).toEqual(intent);
    // Leased: not due for anyone's sweep until the lease expires (a crash mid-evaluation).
    expect(await replica.listDueStatusIntents(at(59), 10)).toEqual([]);
    expect((await replica.listDueStatusIntents(at(61), 10)).map((i) => i.id)).toEqual([intent.id]);
  });

  it('desired → claimed → posted: done, and a second claim with the same outcome is refused', async () => {
    const { id } = await store.beginStatusEvaluation(intentInput, { owner: 'a', until: at(60) }, at(0));
    await store.recordDesiredStatus(id, { status: SUCCESS, fingerprint: 'p1', evaluatedAt: at(1).toISOString() }, at(1));
    const claimed = await store.claimStatusPost(id, { owner: 'a', until: at(30) }, at(1), { ignoreSchedule: true });
    expect(claimed?.desired).toEqual(SUCCESS);
    await store.markStatusPosted(id, 'a', { status: SUCCESS, fingerprint: 'p1' }, at(2));
    expect(await store.getStatusIntent(key)).toMatchObject({ posted: SUCCESS, postedFingerprint: 'p1', leaseOwner: null });
    expect(await replica.listDueStatusIntents(at(100), 10)).toEqual([]);
    // A second replica that evaluated the same outcome finds it posted and does not post again.
    await replica.recordDesiredStatus(id, { status: SUCCESS, fingerprint: 'p1', evaluatedAt: at(3).toISOString() }, at(3));
    expect(await replica.claimStatusPost(id, { owner: 'b', until: at(30) }, at(3))).toBeNull();
  });

  it('a new evaluation reopens the intent but keeps what was posted; a changed outcome is owed again', async () => {
    const { id } = await store.beginStatusEvaluation(intentInput, { owner: 'a', until: at(60) }, at(0));
    await store.recordDesiredStatus(id, { status: SUCCESS, fingerprint: null, evaluatedAt: at(1).toISOString() }, at(1));
    await store.claimStatusPost(id, { owner: 'a', until: at(30) }, at(1));
    await store.markStatusPosted(id, 'a', { status: SUCCESS, fingerprint: null }, at(1));
    const reopened = await store.beginStatusEvaluation(intentInput, { owner: 'b', until: at(70) }, at(10));
    expect(reopened).toMatchObject({ id, desired: null, posted: SUCCESS, leaseOwner: 'b' });
    await store.recordDesiredStatus(id, { status: FAILURE, fingerprint: null, evaluatedAt: at(11).toISOString() }, at(11));
    expect((await store.claimStatusPost(id, { owner: 'b', until: at(40) }, at(11)))?.desired).toEqual(FAILURE);
  });

  it('an older evaluation recorded late does not replace a newer outcome', async () => {
    const { id } = await store.beginStatusEvaluation(intentInput, { owner: 'a', until: at(60) }, at(0));
    await store.recordDesiredStatus(id, { status: FAILURE, fingerprint: null, evaluatedAt: at(5).toISOString() }, at(6));
    const after = await store.recordDesiredStatus(id, { status: SUCCESS, fingerprint: null, evaluatedAt: at(2).toISOString() }, at(7));
    expect(after.desired).toEqual(FAILURE);
  });

  it('a failed post is released and retried only when its time has come', async () => {
    const { id } = await store.beginStatusEvaluation(intentInput, { owner: 'a', until: at(60) }, at(0));
    await store.recordDesiredStatus(id, { status: SUCCESS, fingerprint: null, evaluatedAt: at(1).toISOString() }, at(1));
    await store.claimStatusPost(id, { owner: 'a', until: at(30) }, at(1));
    await store.markStatusAttemptFailed(id, 'a', 'HTTP 502', at(20), at(2));
    expect(await store.getStatusIntent(key)).toMatchObject({ attempts: 1, lastError: 'HTTP 502', leaseOwner: null });
    expect(await replica.listDueStatusIntents(at(19), 10)).toEqual([]);
    expect(await replica.claimStatusPost(id, { owner: 'b', until: at(50) }, at(19))).toBeNull();
    expect((await replica.listDueStatusIntents(at(20), 10)).map((i) => i.id)).toEqual([id]);
    expect(await replica.claimStatusPost(id, { owner: 'b', until: at(50) }, at(20))).not.toBeNull();
  });

  it('an orphaned evaluation is taken by one sweeper; abandoning drops it only while unevaluated', async () => {
    const { id } = await store.beginStatusEvaluation(intentInput, { owner: 'crashed', until: at(60) }, at(0));
    expect(await replica.claimStatusEvaluation(id, { owner: 'b', until: at(120) }, at(30))).toBeNull();
    const [first, second] = await Promise.all([
      replica.claimStatusEvaluation(id, { owner: 'b', until: at(120) }, at(61)),
      store.claimStatusEvaluation(id, { owner: 'c', until: at(120) }, at(61)),
    ]);
    expect([first, second].filter((claim) => claim !== null)).toHaveLength(1);
    const winner = first ? 'b' : 'c';
    expect(await store.abandonStatusIntent(id, 'someone-else')).toBe(false);
    expect(await store.abandonStatusIntent(id, winner)).toBe(true);
    expect(await store.getStatusIntent(key)).toBeNull();
  });

  it('a lease is renewed only by its owner', async () => {
    const { id } = await store.beginStatusEvaluation(intentInput, { owner: 'a', until: at(60) }, at(0));
    expect(await replica.renewStatusIntentLease(id, { owner: 'b', until: at(500) })).toBe(false);
    expect(await store.renewStatusIntentLease(id, { owner: 'a', until: at(500) })).toBe(true);
    expect((await store.getStatusIntent(key))?.leaseUntil).toBe(at(500).toISOString());
  });

  it('two replicas racing on the same intents: exactly one claim per intent', async () => {
    const shas = Array.from({ length: 20 }, (_, i) => fakeSha(`race-${i}`));
    const ids: number[] = [];
    for (const sha of shas) {
      const { id } = await store.beginStatusEvaluation({ ...intentInput, sha }, { owner: 'evaluator', until: at(1) }, at(0));
      await store.recordDesiredStatus(id, { status: SUCCESS, fingerprint: null, evaluatedAt: at(0).toISOString() }, at(0));
      ids.push(id);
    }
    // The evaluator crashed before posting: its leases expire, both replicas' sweeps race.
    const sweep = async (s: ReportStore, owner: string) => {
      const won: number[] = [];
      for (const intent of await s.listDueStatusIntents(at(5), 100)) {
        const claimed = await s.claimStatusPost(intent.id, { owner, until: at(60) }, at(5));
        if (claimed) {
          won.push(claimed.id);
          await s.markStatusPosted(claimed.id, owner, { status: claimed.desired!, fingerprint: null }, at(5));
        }
      }
      return won;
    };
    const [a, b] = await Promise.all([sweep(store, 'replica-a'), sweep(replica, 'replica-b')]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(ids);
    expect(await store.listDueStatusIntents(at(100), 100)).toEqual([]);
  });
});
