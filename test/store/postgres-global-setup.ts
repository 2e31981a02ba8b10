/**
 * vitest globalSetup: gives the store tests a real PostgreSQL.
 *
 * - TEST_DATABASE_URL set → that server is used as is. The role must be allowed to CREATE DATABASE: every test
 *   creates (and drops) its own database next to the one in the URL.
 * - Otherwise a throwaway cluster is started: `initdb` into a temp dir (as the `postgres` OS user when running as
 *   root), `pg_ctl start` on a free 127.0.0.1 port with its socket in the temp dir and durability off (fsync,
 *   synchronous_commit, full_page_writes), then stopped and deleted on teardown. It takes well under a second.
 * - No PostgreSQL server binaries → nothing is started and the PostgreSQL tests fail with a message that says to
 *   install Debian's `postgresql` package. The other test files are not affected.
 *
 * Tests read the outcome with `inject('postgresTest')`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export interface PostgresTestContext {
  /** URL of a database the tests may use as an admin connection, or null when unavailable. */
  readonly url: string | null;
  /** Why PostgreSQL is unavailable (the PostgreSQL tests fail with it). */
  readonly error: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTest: PostgresTestContext;
  }
}

const run = promisify(execFile);
const INSTALL_HINT =
  "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. " +
  "Install Debian's `postgresql` package (apt-get install postgresql) or set TEST_DATABASE_URL to a server " +
  'where the role may CREATE DATABASE.';
const TEST_DATABASE = 'deploy_checker_test';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const fromEnv = process.env['TEST_DATABASE_URL']?.trim();
  if (fromEnv) {
    project.provide('postgresTest', { url: fromEnv, error: null });
    return undefined;
  }
  const binDir = findPostgresBinDir();
  if (binDir === null) {
    project.provide('postgresTest', { url: null, error: INSTALL_HINT });
    return undefined;
  }
  let cluster: ThrowawayCluster;
  try {
    cluster = await startThrowawayCluster(binDir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    project.provide('postgresTest', { url: null, error: `could not start a throwaway PostgreSQL: ${message}` });
    return undefined;
  }
  project.provide('postgresTest', { url: cluster.url, error: null });
  // Should vitest exit without running teardown, do not leave a server behind.
  const onExit = () => cluster.stopSync();
  process.once('exit', onExit);
  return async () => {
    process.removeListener('exit', onExit);
    await cluster.stop();
  };
}

function findPostgresBinDir(): string | null {
  const hasTools = (dir: string) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'));
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir !== '' && hasTools(dir)) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(root, version, 'bin');
    if (hasTools(dir)) return dir;
  }
  return null;
}

interface ThrowawayCluster {
  readonly url: string;
  stop(): Promise<void>;
  stopSync(): void;
}

interface RunAs {
  /** Command and arguments that run `file args` as the cluster's owner. */
  wrap(file: string, args: readonly string[]): [string, string[]];
  readonly uid: number | null;
  readonly gid: number | null;
}

async function startThrowawayCluster(binDir: string): Promise<ThrowawayCluster> {
  const runAs = await resolveRunAs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-checker-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (runAs.uid !== null && runAs.gid !== null) chownSync(dir, runAs.uid, runAs.gid);
  const pgCtl = path.join(binDir, 'pg_ctl');
  const exec = async (file: string, args: readonly string[]) => {
    const [command, commandArgs] = runAs.wrap(file, args);
    try {
      await run(command, commandArgs, { cwd: dir, timeout: 60_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`${path.basename(file)} failed: ${stderr.trim() || String(error)}`);
    }
  };
  const stopSync = () => {
    try {
      const [command, commandArgs] = runAs.wrap(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      execFileSync(command, commandArgs, { cwd: dir, stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Not running (or already gone): nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await exec(path.join(binDir, 'initdb'), [
      '-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
    ]);
    let started: number | null = null;
    let lastError: unknown = null;
    for (let attempt = 0; attempt < 3 && started === null; attempt += 1) {
      const port = await freePort();
      const options = [
        `-c port=${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${dir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        await exec(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options, 'start']);
        started = port;
      } catch (error) {
        lastError = error; // most likely the port was taken in between: try another one
      }
    }
    if (started === null) throw lastError instanceof Error ? lastError : new Error(String(lastError));
    const adminUrl = `postgres://postgres@127.0.0.1:${started}/postgres`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${TEST_DATABASE}`);
    } finally {
      await client.end();
    }
    return {
      url: `postgres://postgres@127.0.0.1:${started}/${TEST_DATABASE}`,
      stop: async () => {
        try {
          await exec(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      stopSync,
    };
  } catch (error) {
    stopSync();
    throw error;
  }
}

/** initdb refuses to run as root: then the cluster belongs to the `postgres` OS user. */
async function resolveRunAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return { wrap: (file, args) => [file, [...args]], uid: null, gid: null };
  let uid: number;
  let gid: number;
  try {
    uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  } catch {
    throw new Error(
      'running as root, but there is no `postgres` OS user to own the throwaway cluster ' +
        "(Debian's `postgresql` package creates it)",
    );
  }
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((candidate) => existsSync(candidate));
  if (runuser !== undefined) {
    return { wrap: (file, args) => [runuser, ['-u', 'postgres', '--', file, ...args]], uid, gid };
  }
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  return {
    wrap: (file, args) => ['su', ['postgres', '-s', '/bin/sh', '-c', [file, ...args].map(quote).join(' ')]],
    uid,
    gid,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : null;
      server.close(() => (port === null ? reject(new Error('no free port')) : resolve(port)));
    });
  });
}
