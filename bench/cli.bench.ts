/**
 * Benchmark of the command-line checker (`npm run bench:cli`): wall time and peak RSS of
 * `deploy-checker check` on the 643-commit kafka 3.6.0..3.7.0 range (../shared/corpus) and on a synthetic
 * 20,000-commit range, beside a bare `git log` of the same range with the same format (the floor), and the
 * CLI's fixed start-up cost (`--help`: node + imports), each for the compiled CLI (`bin/deploy-checker.js` → dist/,
 * what users run) and for the old path (TypeScript through tsx, bench/cli-from-source.ts). Repositories are built with git fast-import
 * in a temp dir; each command runs RUNS times under `/usr/bin/time -v` (GNU time; `apt-get install -y time`
 * when missing, else wall time only). Prints a Markdown table.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempDirs, isolatedGitEnv } from '../test/cli/git-test-repo.js';
import { buildLinearHistory } from '../test/cli/fast-import-history.js';
import { GIT_LOG_FORMAT } from '../src/cli/git-log-records.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SYNTHETIC_COMMITS = 20_000;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repoRoot, 'bin/deploy-checker.js');
const fromSource = path.join(repoRoot, 'bench/cli-from-source.ts');
/** How each CLI path is started: compiled (what `npx deploy-checker` runs) and the old tsx path. */
const CLI_PATHS = [
  { name: 'compiled', argv: [process.execPath, bin] },
  // tsx resolved here: the CLI runs with the benchmark repository as its working directory.
  { name: 'tsx', argv: [process.execPath, '--import', import.meta.resolve('tsx'), fromSource] },
] as const;
const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', 'true']).status === 0;

interface Sample {
  wallMs: number;
  maxRssKb: number | null;
  exit: number | null;
}

/** Peak RSS from GNU time's report (its wall clock has 10 ms resolution: wall time is measured here instead). */
function parseMaxRss(stderr: string): number {
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (!rss) throw new Error(`unexpected /usr/bin/time output:\n${stderr}`);
  return Number(rss[1]);
}

/** Runs `cmd` with stdout discarded; stderr is kept only for GNU time's report. */
function measure(cmd: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Sample> {
  const argv = hasGnuTime ? [GNU_TIME, '-v', ...cmd] : [...cmd];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (exit) => {
      const wallMs = performance.now() - started;
      if (!hasGnuTime) return resolve({ wallMs, maxRssKb: null, exit });
      const status = /Exit status: (\d+)/.exec(stderr);
      resolve({ wallMs, maxRssKb: parseMaxRss(stderr), exit: status ? Number(status[1]) : exit });
    });
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const mb = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);

function syntheticMessages(n: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) {
    const key = `PROJ-${1 + (i % 6000)}`;
    if (i % 10 === 0) out.push(`MINOR: tidy up module ${i}\n\nNo ticket for this one.\n`);
    else if (i % 97 === 0) out.push(`Revert "PROJ-${1 + ((i - 1) % 6000)}: change ${i - 1}"\n\nThis reverts commit ${'f'.repeat(40)}.\n`);
    else
      out.push(
        `${key}: change ${i} in the ${['cart', 'price', 'search', 'auth'][i % 4]} service\n\nWhy: see ${key}. Also touches OPS-${(i % 300) + 1} and KIP-${i % 900}.\nSigned-off-by: Dev <dev@example.com>\n`,
      );
  }
  return out;
}

async function main(): Promise<void> {
  const temp = createTempDirs();
  try {
    const root = temp.make('bench-cli');
    const env = isolatedGitEnv(root);
    const corpus = JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/corpus/kafka__3.6.0..3.7.0.json'), 'utf8')) as { commits: { message: string }[] };
    const kafka = path.join(root, 'kafka');
    const synthetic = path.join(root, 'synthetic');
    mkdirSync(kafka);
    mkdirSync(synthetic);
    const t = performance.now();
    buildLinearHistory({ dir: kafka, env, messages: corpus.commits.map((c) => c.message).reverse(), fromTag: 'from', toTag: 'to' });
    buildLinearHistory({ dir: synthetic, env, messages: syntheticMessages(SYNTHETIC_COMMITS), fromTag: 'from', toTag: 'to' });
    const buildMs = performance.now() - t;

    const cases: { range: string; dir: string; label: string; cmd: string[] }[] = [];
    for (const [range, dir, projects] of [
      [`kafka 3.6.0..3.7.0 (${corpus.commits.length} commits)`, kafka, 'KAFKA'],
      [`synthetic (${SYNTHETIC_COMMITS.toLocaleString('en-US')} commits)`, synthetic, 'PROJ,OPS'],
    ] as const) {
      cases.push({ range, dir, label: 'bare `git log` (same format)', cmd: ['git', 'log', '-z', '--topo-order', `--format=${GIT_LOG_FORMAT}`, 'from..to'] });
      for (const cli of CLI_PATHS) {
        for (const format of cli.name === 'compiled' ? ['json', 'text', 'markdown'] : ['json']) {
          cases.push({
            range,
            dir,
            label: `\`deploy-checker check --format ${format}\` (${cli.name})`,
            cmd: [...cli.argv, 'check', '--from', 'from', '--to', 'to', '--projects', projects, '--format', format],
          });
        }
      }
    }
    for (const cli of CLI_PATHS) {
      cases.push({ range: '(none)', dir: kafka, label: `\`deploy-checker --help\` (start-up cost, ${cli.name})`, cmd: [...cli.argv, '--help'] });
    }

    const rows: string[] = [];
    for (const c of cases) {
      const samples: Sample[] = [];
      await measure(c.cmd, c.dir, env); // warm-up: page cache, tsx's transform cache
      for (let i = 0; i < RUNS; i++) samples.push(await measure(c.cmd, c.dir, env));
      const walls = samples.map((s) => s.wallMs);
      const rss = samples.map((s) => s.maxRssKb).filter((x): x is number => x !== null);
      const exits = [...new Set(samples.map((s) => s.exit))].join('/');
      rows.push(
        `| ${c.range} | ${c.label} | ${ms(median(walls))} | ${ms(Math.min(...walls))} – ${ms(Math.max(...walls))} | ${rss.length ? mb(median(rss)) : 'n/a'} | ${rss.length ? mb(Math.max(...rss)) : 'n/a'} | ${exits} |`,
      );
      process.stderr.write(`${rows.at(-1)}\n`);
    }

    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const gitVersion = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(
      `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} (${os.cpus().length} cores), Node ${process.version}, ${gitVersion}; ${RUNS} runs per row after one warm-up run; ${hasGnuTime ? "wall time measured by the runner (spawn to exit, includes GNU time's own fork), peak RSS from `/usr/bin/time -v`" : 'wall time only (GNU time not installed)'}; output to /dev/null. Building both repositories with git fast-import took ${ms(buildMs)}.`,
    );
    console.log('');
    console.log('| range | command | wall (median) | wall (min – max) | peak RSS (median) | peak RSS (max) | exit |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(row);
  } finally {
    temp.cleanup();
  }
}

await main();
