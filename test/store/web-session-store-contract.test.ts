/**
 * The WebSessionStore contract (server-side sign-in sessions and rate-limit windows), on SQLite and PostgreSQL.
 * Like the ReportStore contract, two store instances share one fresh database, as two app replicas would.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { postgresBackend, sqliteBackend } from './store-test-backends.js';
import type { FreshDatabase, StoreTestBackend } from './store-test-backends.js';

const logger = pino({ level: 'silent' });
const T0 = new Date('2024-05-01T10:00:00.000Z');
const plus = (ms: number): Date => new Date(T0.getTime() + ms);
const MINUTE = 60_000;

describe.each<StoreTestBackend>([sqliteBackend, postgresBackend])('WebSessionStore on $name', (backend) => {
  let database: FreshDatabase | null = null;
  let store: ReportStore;
  let replica: ReportStore;

  beforeEach(async () => {
    database = await backend.freshDatabase();
    store = await createReportStore({ databaseUrl: database.url, logger });
    replica = await createReportStore({ databaseUrl: database.url, logger });
  });

  afterEach(async () => {
    await Promise.all([store.close(), replica.close()]);
    await database?.dispose();
    database = null;
  });

  const session = (id: string, expiresAt: Date) => ({ id, login: 'dana', tokenCiphertext: `cipher-${id}`, createdAt: T0, expiresAt });

  it('keeps a session until it expires, and every replica sees it', async () => {
    await store.createWebSession(session('s1', plus(60 * MINUTE)));
    const expected = { id: 's1', login: 'dana', tokenCiphertext: 'cipher-s1', createdAt: T0.toISOString(), expiresAt: plus(60 * MINUTE).toISOString() };
    expect(await store.getWebSession('s1', plus(MINUTE))).toEqual(expected);
    expect(await replica.getWebSession('s1', plus(59 * MINUTE))).toEqual(expected);
    expect(await replica.getWebSession('s1', plus(60 * MINUTE))).toBeNull();
    expect(await store.getWebSession('unknown', plus(MINUTE))).toBeNull();
  });

  it('revokes a session for every replica', async () => {
    await store.createWebSession(session('s1', plus(60 * MINUTE)));
    await store.createWebSession(session('s2', plus(60 * MINUTE)));
    expect(await replica.revokeWebSession('s1')).toBe(true);
    expect(await replica.revokeWebSession('s1')).toBe(false);
    expect(await store.getWebSession('s1', plus(MINUTE))).toBeNull();
    expect(await store.getWebSession('s2', plus(MINUTE))).not.toBeNull();
  });

  it('refuses a second session with the same id', async () => {
    await store.createWebSession(session('s1', plus(MINUTE)));
    await expect(replica.createWebSession(session('s1', plus(MINUTE)))).rejects.toThrow();
  });

  it('counts rate-limit hits per bucket across replicas in fixed windows, with the time until the window ends', async () => {
    expect(await store.hitRateLimit('user:dana', 2, 10 * MINUTE, T0)).toEqual({ allowed: true, hits: 1 });
    expect(await replica.hitRateLimit('user:dana', 2, 10 * MINUTE, plus(MINUTE))).toEqual({ allowed: true, hits: 2 });
    expect(await store.hitRateLimit('user:dana', 2, 10 * MINUTE, plus(4 * MINUTE))).toEqual({ allowed: false, hits: 3, retryAfterMs: 6 * MINUTE });
    expect(await store.hitRateLimit('user:erin', 2, 10 * MINUTE, plus(4 * MINUTE))).toEqual({ allowed: true, hits: 1 });
    // The window ended: the next hit starts a new one.
    expect(await replica.hitRateLimit('user:dana', 2, 10 * MINUTE, plus(10 * MINUTE))).toEqual({ allowed: true, hits: 1 });
  });

  it('never loses a hit when replicas count at the same time', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : replica).hitRateLimit('sha:acme/payments@abc', 1, MINUTE, T0)),
    );
    expect(answers.filter((a) => a.allowed)).toHaveLength(1);
    expect(answers.map((a) => a.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('prunes expired sessions and ended rate-limit windows only', async () => {
    await store.createWebSession(session('old', plus(MINUTE)));
    await store.createWebSession(session('live', plus(60 * MINUTE)));
    await store.hitRateLimit('ended', 1, MINUTE, T0);
    await store.hitRateLimit('running', 1, 60 * MINUTE, T0);
    expect(await replica.pruneWebSessions(plus(2 * MINUTE))).toEqual({ sessions: 1, rateLimits: 1 });
    const sessions = await database!.query<{ id: string }>('SELECT id FROM web_sessions');
    expect(sessions.map((row) => row.id)).toEqual(['live']);
    const buckets = await database!.query<{ bucket: string }>('SELECT bucket FROM web_rate_limits');
    expect(buckets.map((row) => row.bucket)).toEqual(['running']);
  });
});
