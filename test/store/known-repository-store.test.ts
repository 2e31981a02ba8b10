import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { postgresBackend, sqliteBackend } from './store-test-backends.js';

const logger = pino({ level: 'silent' });

describe.each([sqliteBackend, postgresBackend])('known repositories on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function store(): Promise<ReportStore> {
    const database = await backend.freshDatabase();
    const opened = await createReportStore({ databaseUrl: database.url, logger });
    cleanups.push(async () => {
      await opened.close();
      await database.dispose();
    });
    return opened;
  }

  it('remembers each repository once, keeping the newest installation id (a later null does not erase it)', async () => {
    const s = await store();
    await s.rememberRepository({ owner: 'acme', repo: 'shop' }, 7, new Date('2026-12-01T10:00:00Z'));
    await s.rememberRepository({ owner: 'acme', repo: 'shop' }, null, new Date('2026-12-01T10:01:00Z'));
    await s.rememberRepository({ owner: 'acme', repo: 'api' }, 8, new Date('2026-12-01T10:02:00Z'));
    expect(await s.listKnownRepositories()).toEqual([
      { repo: { owner: 'acme', repo: 'api' }, installationId: 8 },
      { repo: { owner: 'acme', repo: 'shop' }, installationId: 7 },
    ]);
  });
});
