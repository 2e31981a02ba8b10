import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import { DEFAULT_SQLITE_PATH, parseDatabaseUrl } from '../../src/store/database-url.js';
import { makeReport } from './fixtures.js';

describe('parseDatabaseUrl', () => {
  it('defaults to the SQLite file under ./data', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ dialect: 'sqlite', filename: './data/deploy-checker.sqlite' });
    expect(parseDatabaseUrl('  ')).toEqual({ dialect: 'sqlite', filename: DEFAULT_SQLITE_PATH });
  });

  it('reads sqlite: paths and the in-memory database', () => {
    expect(parseDatabaseUrl('sqlite:/var/lib/dc/store.sqlite')).toEqual({
      dialect: 'sqlite',
      filename: '/var/lib/dc/store.sqlite',
    });
    expect(parseDatabaseUrl('sqlite:relative/store.sqlite')).toEqual({
      dialect: 'sqlite',
      filename: 'relative/store.sqlite',
    });
    expect(parseDatabaseUrl('sqlite:///abs/store.sqlite')).toEqual({ dialect: 'sqlite', filename: '/abs/store.sqlite' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', filename: ':memory:' });
  });

  it('reads postgres:// and postgresql:// URLs', () => {
    expect(parseDatabaseUrl('postgres://u:p@db:5432/dc')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u:p@db:5432/dc',
    });
    expect(parseDatabaseUrl('postgresql://db/dc')).toEqual({ dialect: 'postgres', connectionString: 'postgresql://db/dc' });
  });

  it('rejects other schemes without repeating the URL', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/dc')).toThrow(/unsupported scheme "mysql:"/);
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/dc')).not.toThrow(/hunter2/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/file path/);
  });
});

describe('createReportStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function capturingLogger(): { logger: pino.Logger; output: () => string } {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return { logger: pino({ level: 'debug' }, stream), output: () => chunks.join('') };
  }

  it('creates the SQLite folder, migrates, and leaves the file in WAL mode', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-checker-create-'));
    dirs.push(dir);
    const file = path.join(dir, 'nested', 'deeper', 'store.sqlite');
    const { logger, output } = capturingLogger();
    const store = await createReportStore({ databaseUrl: `sqlite:${file}`, logger });
    const report = makeReport();
    await store.saveReport(report);
    await store.close();
    expect(existsSync(file)).toBe(true);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 1 });
    } finally {
      raw.close();
    }
    expect(output()).toContain('"migration":"0001-initial"');
    const reopened = await createReportStore({ databaseUrl: `sqlite:${file}`, logger: pino({ level: 'silent' }) });
    expect(await reopened.getReport(report.repo, report.headSha)).toEqual(report);
    await reopened.close();
  });

  it('works on an in-memory SQLite database', async () => {
    const store = await createReportStore({ databaseUrl: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
    const id = await store.saveReport(makeReport());
    expect((await store.listReports(makeReport().repo, { limit: 5, offset: 0 })).items.map((item) => item.id)).toEqual([id]);
    await store.close();
  });

  it('fails clearly when PostgreSQL cannot be reached, without logging the password', async () => {
    const { logger, output } = capturingLogger();
    // Port 1 on localhost: nothing listens there, the connection is refused at once.
    await expect(createReportStore({ databaseUrl: 'postgres://deployer:s3cret-pw@127.0.0.1:1/dc', logger })).rejects.toThrow(/store migrations failed/);
    expect(output()).toContain('"host":"127.0.0.1:1"');
    expect(output()).not.toContain('s3cret-pw');
  });
});
