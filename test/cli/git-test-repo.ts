/**
 * Real git repositories in a temp dir for the CLI tests. The machine's and the user's git config are kept out
 * (GIT_CONFIG_NOSYSTEM, HOME in the temp dir, no inherited GIT_* variables), identities and dates are fixed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestRepo {
  readonly dir: string;
  /** The environment the repository was made with: pass it to the CLI too. */
  readonly env: NodeJS.ProcessEnv;
  git(args: readonly string[], input?: string): string;
  /** An empty commit with this message on the current branch; returns its SHA. */
  commit(message: string): string;
  writeFile(relativePath: string, content: string): void;
}

export interface TempDirs {
  make(prefix: string): string;
  cleanup(): void;
}

export function createTempDirs(): TempDirs {
  const dirs: string[] = [];
  return {
    make(prefix) {
      const dir = mkdtempSync(path.join(os.tmpdir(), `deploy-checker-${prefix}-`));
      dirs.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** process.env without git's own variables, with HOME in `home` and no system config. */
export function isolatedGitEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !k.startsWith('JIRA_')) env[k] = v;
  return { ...env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1', LOG_LEVEL: 'silent' };
}

export function createTestRepo(root: string): TestRepo {
  const dir = path.join(root, 'repo');
  mkdirSync(dir, { recursive: true });
  const env = isolatedGitEnv(root);
  let tick = 0;
  const git = (args: readonly string[], input?: string): string => {
    tick += 1;
    const date = `${1_700_000_000 + tick * 60} +0000`;
    return execFileSync('git', ['-c', 'user.name=Test Dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  };
  git(['init', '-q', '-b', 'production']);
  return {
    dir,
    env,
    git,
    commit(message) {
      git(['commit', '-q', '--allow-empty', '-F', '-'], message);
      return git(['rev-parse', 'HEAD']).trim();
    },
    writeFile(relativePath, content) {
      const file = path.join(dir, relativePath);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    },
  };
}

/**
 * The shared scenario:
 *   production: PROJ-1 (v1.0) ── PROJ-5 hotfix (production)
 *   deploy:     PROJ-1 ── PROJ-2 ── fix typo ── merge of feature (PROJ-3, OPS-7) ── PROJ-4 ── Revert PROJ-4 (v1.1, deploy)
 * so v1.0..v1.1 is ahead, production..deploy diverged, production..v1.0 behind.
 */
export interface Scenario {
  readonly repo: TestRepo;
  readonly sha: Record<'initial' | 'proj2' | 'typo' | 'proj3' | 'ops7' | 'merge' | 'proj4' | 'revert' | 'hotfix', string>;
}

export function buildScenario(root: string): Scenario {
  const repo = createTestRepo(root);
  const initial = repo.commit('PROJ-1: initial import');
  repo.git(['tag', 'v1.0']);
  repo.git(['checkout', '-q', '-b', 'deploy']);
  const proj2 = repo.commit('PROJ-2: add the price endpoint\n\nLonger description.');
  const typo = repo.commit('fix typo');
  repo.git(['checkout', '-q', '-b', 'feature']);
  const proj3 = repo.commit('PROJ-3: part one of the cart');
  const ops7 = repo.commit('OPS-7: raise the pool size');
  repo.git(['checkout', '-q', 'deploy']);
  repo.git(['merge', '-q', '--no-ff', '-m', "Merge branch 'feature' into deploy", 'feature']);
  const merge = repo.git(['rev-parse', 'HEAD']).trim();
  repo.writeFile('risky.txt', 'risky\n');
  repo.git(['add', 'risky.txt']);
  repo.git(['commit', '-q', '-m', 'PROJ-4: risky change']);
  const proj4 = repo.git(['rev-parse', 'HEAD']).trim();
  repo.git(['revert', '--no-edit', 'HEAD']);
  const revert = repo.git(['rev-parse', 'HEAD']).trim();
  repo.git(['tag', 'v1.1']);
  repo.git(['checkout', '-q', 'production']);
  const hotfix = repo.commit('PROJ-5: hotfix in production');
  repo.git(['checkout', '-q', 'deploy']);
  return { repo, sha: { initial, proj2, typo, proj3, ops7, merge, proj4, revert, hotfix } };
}

/** Captures what main() writes. */
export function captureIo(options: { cwd: string; env: NodeJS.ProcessEnv; isTTY?: boolean }) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: options.env,
      cwd: options.cwd,
      isTTY: options.isTTY ?? false,
      now: () => new Date('2024-05-01T12:00:00.000Z'),
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
