import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import type { ReportStore } from '../../src/store/report-store.js';
import { makeReport } from './fixtures.js';
import { postgresBackend, sqliteBackend } from './store-test-backends.js';

const logger = pino({ level: 'silent' });

describe.each([sqliteBackend, postgresBackend])('short SHA lookup on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('finds the full SHAs of reports that start with a prefix, in this repository only', async () => {
    const database = await backend.freshDatabase();
    const store: ReportStore = await createReportStore({ databaseUrl: database.url, logger });
    cleanups.push(async () => {
      await store.close();
      await database.dispose();
    });
    const shas = [`abc1${'0'.repeat(36)}`, `abc2${'f'.repeat(36)}`, `abd0${'9'.repeat(36)}`];
    for (const headSha of shas) await store.saveReport(makeReport({ headSha }));
    const repo = makeReport().repo;
    expect(await store.reportShasWithPrefix(repo, 'abc1', 2)).toEqual([shas[0]]);
    expect(await store.reportShasWithPrefix(repo, 'abc', 2)).toEqual([shas[0], shas[1]]);
    expect(await store.reportShasWithPrefix(repo, 'ab', 5)).toEqual(shas);
    expect(await store.reportShasWithPrefix(repo, 'abe', 2)).toEqual([]);
    expect(await store.reportShasWithPrefix(repo, "ab' or 1=1", 2)).toEqual([]);
    expect(await store.reportShasWithPrefix({ owner: 'other', repo: 'repo' }, 'abc', 2)).toEqual([]);
  });
});
