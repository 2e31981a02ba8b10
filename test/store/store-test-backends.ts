/**
 * The two backends the store contract suite runs against. Each test gets a fresh, empty database:
 * SQLite — a file in its own temp dir; PostgreSQL — a new database on the server from the global setup.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';

export interface FreshDatabase {
  /** DATABASE_URL for createReportStore. */
  readonly url: string;
  /** Runs a read-only query directly on the database (bypassing the store), for assertions. */
  query<Row = Record<string, unknown>>(text: string): Promise<Row[]>;
  dispose(): Promise<void>;
}

export interface StoreTestBackend {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Whether two store instances may start (and migrate) at the same time: true on PostgreSQL (the migrator's
   * advisory lock); SQLite is one process per file, so replicas there are opened one after the other.
   */
  readonly concurrentStart: boolean;
  freshDatabase(): Promise<FreshDatabase>;
}

export const sqliteBackend: StoreTestBackend = {
  name: 'sqlite',
  concurrentStart: false,
  async freshDatabase() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-checker-store-'));
    const file = path.join(dir, 'store.sqlite');
    return {
      url: `sqlite:${file}`,
      async query<Row>(text: string) {
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(text).all() as Row[];
        } finally {
          db.close();
        }
      },
      async dispose() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresBackend: StoreTestBackend = {
  name: 'postgres',
  concurrentStart: true,
  async freshDatabase() {
    const { url: baseUrl, error } = inject('postgresTest');
    if (baseUrl === null) throw new Error(`PostgreSQL tests cannot run: ${error ?? 'no server'}`);
    const name = `dc_store_${randomBytes(6).toString('hex')}`;
    await withClient(baseUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      query: async <Row>(text: string) => withClient(url.toString(), async (client) => (await client.query(text)).rows as Row[]),
      async dispose() {
        await withClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  },
};

async function withClient<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
