/**
 * The container image without Docker: this machine has no Docker engine, so the test repeats what the Dockerfile
 * does and checks what the image would contain and do. Everything is read from the Dockerfile itself (COPY sources,
 * ENV, WORKDIR, VOLUME, HEALTHCHECK, STOPSIGNAL, CMD), so the file and the test cannot drift apart.
 *
 *  1. Build context: the repository's files (tracked and untracked-but-not-ignored) minus .dockerignore.
 *  2. Build stage: its context COPYs into a temporary directory. `npm ci` is replaced by a hard-linked copy of the
 *     checkout's node_modules (a real copy across file systems): the image's `npm ci` fetches better-sqlite3's
 *     prebuilt binary from GitHub, unreachable on test machines. Then the real `npm run build` and the real
 *     `npm prune --omit=dev`, which only deletes directory entries of the copy (the hidden lock file npm rewrites
 *     is un-linked first, so the checkout's node_modules is never written to).
 *  3. Runtime stage: only what its COPYs name is moved into a second, fresh directory; VOLUME directories made.
 *  4. CMD runs there with the Dockerfile's ENV (HOST/PORT overridden for the test), a generated App key and no
 *     DATABASE_URL (the default SQLite file must land in the VOLUME); the HEALTHCHECK command itself must pass;
 *     STOPSIGNAL must drain and exit 0.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/app-harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ---------------------------------------------------------------- Dockerfile and .dockerignore, parsed

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** Instructions by stage; comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): Stage[] {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  const stages: Array<{ image: string; name: string | undefined; instructions: Instruction[] }> = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    if (keyword === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
      stage.instructions.push({ keyword, args });
    }
  }
  return stages;
}

const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

/** `--flag=value` options in front of the arguments, and the rest. */
function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest); m; m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest)) {
    flags[m[1] ?? ''] = m[2] ?? '';
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** Exec form (`["a", "b"]`) or whitespace-separated words. */
function words(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/).filter(Boolean);
}

interface Copy {
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly dest: string;
}
function copies(stage: Stage): Copy[] {
  return all(stage, 'COPY').map(({ args }) => {
    const { flags, rest } = splitFlags(args);
    const parts = words(rest);
    return { from: flags.from, sources: parts.slice(0, -1), dest: parts.at(-1) ?? '' };
  });
}

/** `ENV A=1 B=2` (and the legacy `ENV A 1`). */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of all(stage, 'ENV')) {
    if (!args.includes('=')) {
      const [key = '', ...value] = args.split(/\s+/);
      env[key] = value.join(' ');
      continue;
    }
    for (const pair of args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? []) {
      const [key = '', value = ''] = pair.split(/=(.*)/s);
      env[key] = value.replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}

function lastArgs(stage: Stage, keyword: string): string {
  const found = all(stage, keyword).at(-1);
  if (!found) throw new Error(`the ${stage.name ?? 'last'} stage has no ${keyword}`);
  return found.args;
}

/** A .dockerignore pattern as a regular expression over slash-separated paths (Go filepath.Match plus `**`). */
function ignoreRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map((part) =>
      part === '**'
        ? '\u0000'
        : part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
    )
    .join('/')
    .replace(/\u0000\//g, '(?:.*/)?')
    .replace(/\u0000/g, '.*');
  return new RegExp(`^${source}(?:/.*)?$`);
}

/** Whether the build context leaves `file` out (the last matching line wins; `!` re-includes). */
function dockerIgnores(patterns: readonly string[], file: string): boolean {
  let ignored = false;
  for (const line of patterns) {
    const negated = line.startsWith('!');
    if (ignoreRegExp(negated ? line.slice(1) : line).test(file)) ignored = !negated;
  }
  return ignored;
}

/** Files matched by a COPY source: a file, a directory (its files) or a `*` pattern. */
function matchContext(files: readonly string[], source: string): string[] {
  const clean = source.replace(/^\.\//, '').replace(/\/$/, '');
  if (clean === '.' || clean === '') return [...files];
  const re = ignoreRegExp(clean);
  return files.filter((file) => re.test(file));
}

// ---------------------------------------------------------------- the simulated image

const dockerfileText = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfileText);
const runtime = stages.at(-1) as Stage;
const stageByName = new Map(stages.map((s) => [s.name ?? '', s]));
const dockerignore = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};

function run(command: string, args: readonly string[], cwd: string): void {
  const env = { ...process.env };
  delete env.NODE_ENV; // vitest's "test"; the build stage has none
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** Where a path of stage `stageName` lives on this machine, given each stage's stand-in directory. */
function localPath(stageDirs: ReadonlyMap<string, string>, stage: Stage, containerPath: string): string {
  const workdir = lastArgs(stage, 'WORKDIR');
  const relative = path.posix.relative(workdir, path.posix.resolve(workdir, containerPath));
  if (relative.startsWith('..')) throw new Error(`${containerPath} is outside WORKDIR ${workdir}`);
  return path.join(stageDirs.get(stage.name ?? '') ?? '', relative);
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('the container image, built without Docker', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'deploy-checker-image-'));
  const stageDirs = new Map(stages.map((s, i) => [s.name ?? '', path.join(tmp, `stage-${i}-${s.name ?? 'unnamed'}`)]));
  const runtimeDir = stageDirs.get(runtime.name ?? '') ?? '';
  const contextFiles: string[] = [];
  const missingCopySources: string[] = [];
  let app: ChildProcess | undefined;
  let port = 0;
  let output = '';

  beforeAll(async () => {
    // 1. The build context.
    const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
    if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
    contextFiles.push(...listed.stdout.split('\0').filter((f) => f !== '' && existsSync(path.join(repoRoot, f)) && !dockerIgnores(dockerignore, f)));

    // 2./3. Each stage in order: COPY from the context or from an earlier stage; the build stage's RUN steps.
    for (const stage of stages) {
      const dir = stageDirs.get(stage.name ?? '') ?? '';
      mkdirSync(dir, { recursive: true });
      for (const copy of copies(stage)) {
        for (const source of copy.sources) {
          if (copy.from === undefined) {
            const matched = matchContext(contextFiles, source);
            if (matched.length === 0) missingCopySources.push(`${source} (build context)`);
            const baseDir = source.includes('*') ? '' : source.replace(/^\.\//, '').replace(/\/$/, '');
            for (const file of matched) {
              const inDest = baseDir && file !== baseDir ? path.relative(baseDir, file) : path.basename(file);
              const destDir = copy.dest.endsWith('/') || copy.sources.length > 1 || source.includes('*') || (baseDir && file !== baseDir);
              const target = destDir ? path.join(localPath(stageDirs, stage, copy.dest), inDest) : localPath(stageDirs, stage, copy.dest);
              mkdirSync(path.dirname(target), { recursive: true });
              copyFileSync(path.join(repoRoot, file), target);
            }
          } else {
            const fromStage = stageByName.get(copy.from);
            if (!fromStage) throw new Error(`COPY --from=${copy.from}: no such stage`);
            const from = localPath(stageDirs, fromStage, source);
            if (!existsSync(from)) {
              missingCopySources.push(`${source} (stage ${copy.from})`);
              continue;
            }
            const target = localPath(stageDirs, stage, copy.dest.endsWith('/') ? path.posix.join(copy.dest, path.posix.basename(source)) : copy.dest);
            mkdirSync(path.dirname(target), { recursive: true });
            // node_modules is moved, not copied: same file system, and the build stage is done with it.
            if (path.basename(from) === 'node_modules') renameSync(from, target);
            else cpSync(from, target, { recursive: true });
          }
        }
        if (stage !== runtime && copy.sources.includes('package-lock.json')) {
          // Stand-in for `npm ci`: a hard-linked copy of the checkout's node_modules (see the top of the file).
          const nodeModules = path.join(dir, 'node_modules');
          // Hard links need one file system; where the temp dir is elsewhere (tmpfs), a real copy.
          const linked = spawnSync('cp', ['-al', path.join(repoRoot, 'node_modules'), nodeModules], { stdio: 'ignore' });
          if (linked.status !== 0) {
            rmSync(nodeModules, { recursive: true, force: true });
            run('cp', ['-a', path.join(repoRoot, 'node_modules'), nodeModules], dir);
          }
          const hidden = path.join(nodeModules, '.package-lock.json');
          if (existsSync(hidden)) {
            rmSync(hidden);
            copyFileSync(path.join(repoRoot, 'node_modules', '.package-lock.json'), hidden);
          }
        }
      }
      const runs = all(stage, 'RUN')
        .map((r) => r.args)
        .join(' && ');
      if (runs.includes('npm run build')) run('npm', ['run', 'build', '--silent'], dir);
      if (/npm prune --omit=dev/.test(runs)) run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], dir);
    }
    for (const volume of all(runtime, 'VOLUME').flatMap((v) => words(v.args))) mkdirSync(localPath(stageDirs, runtime, volume), { recursive: true });

    // 4. CMD, with the runtime stage's ENV.
    const [command = '', ...args] = words(lastArgs(runtime, 'CMD'));
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    port = await freePort();
    if (missingCopySources.length > 0) return; // the COPY test reports it; nothing to start
    app = spawn(command === 'node' ? process.execPath : command, args, {
      cwd: runtimeDir,
      detached: true, // its own process group, killed as a whole
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: tmp,
        // No DATABASE_URL: the default SQLite file must land in the image's VOLUME (a test below).
        ...envOf(runtime),
        HOST: '127.0.0.1',
        PORT: String(port),
        APP_ID: '12345',
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: 'production-tree-secret',
        WEB_AUTH: 'off',
        LOG_LEVEL: 'info',
      },
    });
    app.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    app.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    // Listening = any HTTP answer; whether it is the right one is the tests' business.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answered = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => true,
        () => false,
      );
      if (answered) break;
      if (app.exitCode !== null || Date.now() > deadline) throw new Error(`${command} ${args.join(' ')} did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 600_000);

  afterAll(async () => {
    if (app?.pid !== undefined && app.exitCode === null && app.signalCode === null) {
      const done = exited(app);
      process.kill(-app.pid, 'SIGKILL');
      await done;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has a build and a runtime stage on node:24-bookworm-slim; the runtime runs as node with NODE_ENV=production', () => {
    expect(stages.map((s) => s.image)).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(lastArgs(runtime, 'USER')).toBe('node');
    expect(envOf(runtime)).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '3000' });
    expect(lastArgs(runtime, 'STOPSIGNAL')).toBe('SIGTERM');
    expect(words(lastArgs(runtime, 'CMD'))).toEqual(['node', 'dist/main.js']);
    const buildRuns = all(stages[0] as Stage, 'RUN')
      .map((r) => r.args)
      .join('\n');
    for (const step of ['npm ci', 'npm run build', 'npm prune --omit=dev']) expect(buildRuns).toContain(step);
  });

  it('.dockerignore keeps secrets, local state and build output out of the context', () => {
    for (const file of [
      '.env',
      '.env.production',
      'keys/app.private-key.pem',
      'app.pem',
      'data/deploy-checker.sqlite',
      'node_modules/zod/package.json',
      'dist/main.js',
      '.git/HEAD',
      'test-output/x.png',
      'coverage/index.html',
    ]) {
      expect({ file, ignored: dockerIgnores(dockerignore, file) }).toEqual({ file, ignored: true });
    }
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'src/main.ts', 'app.yml', '.env.example']) {
      expect({ file, ignored: dockerIgnores(dockerignore, file) }).toEqual({ file, ignored: false });
    }
  });

  it('every COPY source exists: in the build context, or in the build stage after build and prune', () => {
    expect(missingCopySources).toEqual([]);
    const [command, script] = words(lastArgs(runtime, 'CMD'));
    expect(command).toBe('node');
    expect(existsSync(path.join(runtimeDir, script ?? ''))).toBe(true);
    expect(existsSync(path.join(runtimeDir, 'src'))).toBe(false); // only compiled code ships
  });

  it('the pruned node_modules has the production dependencies and no development tool', () => {
    const nodeModules = path.join(runtimeDir, 'node_modules');
    for (const name of Object.keys(packageJson.dependencies ?? {}))
      expect({ name, present: existsSync(path.join(nodeModules, name)) }).toEqual({ name, present: true });
    // Every package the lock file marks dev-only is gone (a devDependency that a dependency also needs, such as
    // @types/node, is not dev-only and stays).
    const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages)
      .filter(([where, entry]) => where !== '' && entry.dev === true)
      .map(([where]) => where);
    expect(devOnly.length).toBeGreaterThan(10);
    for (const where of devOnly) expect({ where, present: existsSync(path.join(runtimeDir, where)) }).toEqual({ where, present: false });
    for (const name of ['tsx', 'vitest', 'typescript']) expect({ name, present: existsSync(path.join(nodeModules, name)) }).toEqual({ name, present: false });
  });

  it('CMD starts from the runtime files alone: /healthz answers 200 and the HEALTHCHECK command passes', async () => {
    expect(app, output).toBeDefined();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status, output).toBe(200);

    const { rest } = splitFlags(lastArgs(runtime, 'HEALTHCHECK'));
    const [cmd, ...healthArgs] = words(rest.replace(/^CMD\s+/, ''));
    expect(cmd).toBe('node');
    const check = spawn(process.execPath, healthArgs, {
      cwd: runtimeDir,
      env: { PATH: process.env.PATH, ...envOf(runtime), PORT: String(port) },
      stdio: 'ignore',
    });
    expect(await exited(check)).toBe(0);
  });

  it('the SQLite database is created, migrated, in the VOLUME directory', () => {
    const volumes = all(runtime, 'VOLUME').flatMap((v) => words(v.args));
    expect(volumes).toEqual(['/app/data']);
    expect(existsSync(path.join(localPath(stageDirs, runtime, '/app/data'), 'deploy-checker.sqlite'))).toBe(true);
  });

  it('STOPSIGNAL drains and exits 0', async () => {
    expect(app?.pid).toBeDefined();
    const done = exited(app as ChildProcess);
    process.kill(app?.pid ?? 0, lastArgs(runtime, 'STOPSIGNAL') as NodeJS.Signals);
    expect(await done, output).toBe(0);
  }, 60_000);
});
