import { mkdtempSync, renameSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createReportStore } from '../../src/store/create-report-store.js';
import { markerPathOf } from '../../src/store/sqlite-file-guard.js';

const logger = pino({ level: 'silent' });
const fresh = () => join(mkdtempSync(join(tmpdir(), 'dc-sqlite-')), 'store.sqlite');

describe('SQLite file integrity', () => {
  it('a first start creates the database and its marker, and is healthy', async () => {
    const file = fresh();
    const store = await createReportStore({ databaseUrl: `sqlite:${file}`, logger });
    expect(existsSync(markerPathOf(file))).toBe(true);
    expect(await store.checkHealth()).toEqual({ ok: true });
    await store.close();
  });

  it('a file deleted while running makes the store unhealthy, and a restart refuses to start empty', async () => {
    const file = fresh();
    const store = await createReportStore({ databaseUrl: `sqlite:${file}`, logger });
    rmSync(file);
    expect(await store.checkHealth()).toEqual({ ok: false, reason: expect.stringContaining('was deleted') });
    await store.close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    await expect(createReportStore({ databaseUrl: `sqlite:${file}`, logger })).rejects.toThrow(/is missing, but a database existed there before/);
    expect(existsSync(file)).toBe(false);
  });

  it('a file replaced while running makes the store unhealthy', async () => {
    const file = fresh();
    const store = await createReportStore({ databaseUrl: `sqlite:${file}`, logger });
    copyFileSync(file, `${file}.copy`);
    renameSync(`${file}.copy`, file);
    expect(await store.checkHealth()).toEqual({ ok: false, reason: expect.stringContaining('was replaced') });
    await store.close();
  });

  it('a corrupted file stops start-up with the reason', async () => {
    const file = fresh();
    writeFileSync(file, Buffer.alloc(8192, 7));
    await expect(createReportStore({ databaseUrl: `sqlite:${file}`, logger })).rejects.toThrow(/not a readable SQLite database|corrupted/);
  });
});
