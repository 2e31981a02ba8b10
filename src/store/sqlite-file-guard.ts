/**
 * Integrity of the SQLite file: start-up never silently creates an empty database where one existed before, and a
 * file that is deleted, replaced or corrupted while the server runs is noticed.
 * - A marker file beside the database (`<file>.created`) is written once the database exists; a missing database
 *   with its marker present is lost data, not a first start: start-up stops and says how to recover.
 * - `PRAGMA quick_check` runs at start; a corrupted file stops start-up with the reason.
 * - The file's identity (device + inode) is taken at open; `check()` compares it with what is on disk now.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { StoreHealth } from './report-store.js';

export class StoreIntegrityError extends Error {
  override readonly name = 'StoreIntegrityError';
}

export const markerPathOf = (filename: string): string => `${filename}.created`;

/** Before opening: refuses to create an empty database where its marker says one existed. */
export function assertNotLost(filename: string): void {
  const marker = markerPathOf(filename);
  if (!existsSync(filename) && existsSync(marker)) {
    throw new StoreIntegrityError(
      `the store file ${filename} is missing, but a database existed there before (${marker}). Restore it from a backup, or delete ${marker} to start with an empty store.`,
    );
  }
}

function identity(filename: string): string | null {
  try {
    const stat = statSync(filename);
    return `${stat.dev}:${stat.ino}`;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
}

export interface SqliteFileGuard {
  check(): StoreHealth;
}

/** After opening: quick_check, marker, identity. Throws StoreIntegrityError on a corrupted file. */
export function guardSqliteFile(filename: string, database: BetterSqlite3.Database): SqliteFileGuard {
  let result: unknown;
  try {
    result = database.pragma('quick_check', { simple: true });
  } catch (error) {
    throw new StoreIntegrityError(`the store file ${filename} is not a readable SQLite database (${(error as Error).message}). Restore it from a backup.`);
  }
  if (result !== 'ok')
    throw new StoreIntegrityError(`the store file ${filename} is corrupted (quick_check: ${String(result).slice(0, 200)}). Restore it from a backup.`);
  if (!existsSync(markerPathOf(filename))) {
    writeFileSync(markerPathOf(filename), `deploy-checker store created ${new Date().toISOString()}\n`);
  }
  const opened = identity(filename);
  return {
    check() {
      const now = identity(filename);
      if (now === null) return { ok: false, reason: `the store file ${filename} was deleted while the server ran` };
      if (now !== opened) return { ok: false, reason: `the store file ${filename} was replaced while the server ran` };
      return { ok: true };
    },
  };
}
