/**
 * Which database DATABASE_URL names. Absent: the SQLite file ./data/deploy-checker.sqlite.
 * `sqlite:<path>` (or `sqlite://<path>`), `sqlite::memory:`, `postgres://…` / `postgresql://…`.
 */
import path from 'node:path';

export const DEFAULT_SQLITE_PATH = './data/deploy-checker.sqlite';

export type DatabaseTarget = { readonly dialect: 'sqlite'; readonly filename: string } | { readonly dialect: 'postgres'; readonly connectionString: string };

export function parseDatabaseUrl(databaseUrl: string | undefined): DatabaseTarget {
  const url = databaseUrl?.trim() ?? '';
  if (url === '') return { dialect: 'sqlite', filename: DEFAULT_SQLITE_PATH };
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', connectionString: url };
  if (/^sqlite:/i.test(url)) {
    const rest = url.slice('sqlite:'.length);
    const filename = rest.startsWith('//') ? rest.slice(2) : rest;
    if (filename === '') throw new Error('DATABASE_URL "sqlite:" needs a file path or ":memory:"');
    return { dialect: 'sqlite', filename };
  }
  // Never echo the URL: it may carry a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(`DATABASE_URL has an unsupported scheme${scheme === undefined ? '' : ` "${scheme}:"`}; use sqlite:<path>, sqlite::memory: or postgres://…`);
}

/** Where a PostgreSQL URL points, without credentials, for logs. */
export function describePostgresTarget(connectionString: string): { host: string; database: string } {
  try {
    const parsed = new URL(connectionString);
    return { host: parsed.host, database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) };
  } catch {
    return { host: 'unparseable', database: 'unparseable' };
  }
}

export function isInMemorySqlite(filename: string): boolean {
  return filename === ':memory:';
}

export function sqliteDirectoryOf(filename: string): string {
  return path.dirname(path.resolve(filename));
}
