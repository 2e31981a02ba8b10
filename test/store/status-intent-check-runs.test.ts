/**
 * Status intents of check runs (status.kind check-run / both), on SQLite and PostgreSQL: the delivery and the check
 * run's output are part of the recorded result, so "posted equals desired" covers them; a status-only result keeps
 * the stored text it had before check runs existed.
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
const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const key = { repo: { owner: 'acme', repo: 'payments' }, sha: fakeSha('check-run-head'), context: 'deploy-checker' };
const intentInput = { ...key, installationId: 77, subject: { kind: 'deploy' as const } };
const STATUS: FinalStatus = { state: 'success', description: 'All clear', targetUrl: 'https://checker.test/x' };
const RUN: FinalStatus = { ...STATUS, delivery: 'check-run', checkRun: { title: 'All clear', summary: '| PROJ-1 | Done |\n'.repeat(3_000) } };

describe.each<StoreTestBackend>([sqliteBackend, postgresBackend])('check run intents on $name', (backend) => {
  let database: FreshDatabase | null = null;
  let store: ReportStore;

  beforeEach(async () => {
    database = await backend.freshDatabase();
    store = await createReportStore({ databaseUrl: database.url, logger, now: () => at(0) });
  });
  afterEach(async () => {
    await store.close();
    await database?.dispose();
    database = null;
  });

  /** Evaluates to `desired` at second `t`; returns whether there was something to post (and posts it). */
  async function settle(desired: FinalStatus, t: number): Promise<boolean> {
    const { id } = await store.beginStatusEvaluation(intentInput, { owner: `w${t}`, until: at(t + 60) }, at(t));
    await store.recordDesiredStatus(id, { status: desired, fingerprint: 'p', evaluatedAt: at(t).toISOString() }, at(t));
    const claimed = await store.claimStatusPost(id, { owner: `w${t}`, until: at(t + 30) }, at(t), { ignoreSchedule: true });
    if (!claimed) {
      await store.releaseStatusIntent(id, `w${t}`, at(t));
      return false;
    }
    await store.markStatusPosted(id, `w${t}`, { status: claimed.desired!, fingerprint: 'p' }, at(t));
    return true;
  }

  it.each([
    { what: 'the same check run again', next: RUN, posts: false },
    { what: 'a changed summary (a ticket’s risk text was edited)', next: { ...RUN, checkRun: { title: 'All clear', summary: 'other' } }, posts: true },
    { what: 'the same result as a status only (status.kind changed)', next: STATUS, posts: true },
    { what: 'the same result as both', next: { ...RUN, delivery: 'both' as const }, posts: true },
  ])('after a posted check run, $what → posted again: $posts', async ({ next, posts }) => {
    expect(await settle(RUN, 1)).toBe(true);
    expect(await store.getStatusIntent(key)).toMatchObject({ posted: RUN, desired: RUN });
    expect(await settle(next, 2)).toBe(posts);
    expect(await store.getStatusIntent(key)).toMatchObject({ posted: next });
  });

  it('a status-only result equals one recorded with an explicit status delivery (text unchanged)', async () => {
    expect(await settle(STATUS, 1)).toBe(true);
    expect(await settle({ ...STATUS, delivery: 'status' }, 2)).toBe(false);
    expect((await store.getStatusIntent(key))?.posted).toEqual(STATUS);
  });
});
