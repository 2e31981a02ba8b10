/**
 * Hostile commit messages against the deploy evaluation (`npx tsx bench/hostile-input.bench.ts`): for each input,
 * the wall time of building the report (keys over every commit + rules), and the longest the event loop was held
 * up meanwhile (max of `perf_hooks.monitorEventLoopDelay`, and the worst lateness of a 10 ms `setInterval`), once
 * synchronously (CLI, tests) and once with the yielding variant the app uses. Messages are shared strings, so a
 * range of 200 × 1 MB costs 1 MB of memory. Prints a Markdown table.
 *
 * Measured 2026-12-01 on the shared 2-core dev machine (load average ~18): with the yielding variant the event
 * loop was never held up more than 68 ms (max of monitorEventLoopDelay) in any row; the longest single step was
 * 53 ms; wall times 115 ms (2,000 ReDoS subjects) to 3.0 s (500 × 64 KB of revert/key-like lines); the
 * synchronous run of 200 × 1 MB of newlines blocked 1.1 s, of 500 × 64 KB 2.8 s.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CommitInfo } from '../src/core/domain.js';
import { parseRepoConfig, type RepoConfig } from '../src/core/config/repo-config-schema.js';
import { createKeyMatcher } from '../src/core/jira-keys/extract-jira-keys.js';
import { buildDeployReportSteps, buildDeployReportYielding, type DeployReportInput } from '../src/core/report/build-deploy-report.js';

const sha = (n: number) => n.toString(16).padStart(8, '0').repeat(5);
const commits = (count: number, message: (i: number) => string): CommitInfo[] =>
  Array.from({ length: count }, (_, i) => ({
    sha: sha(i + 1),
    message: message(i),
    authorLogin: 'mallory',
    authorName: null,
    date: null,
    parents: [sha(1e6 + i)],
  }));
const configOf = (raw: unknown): RepoConfig => {
  const parsed = parseRepoConfig(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.config;
};
const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

const MB = 1024 * 1024;
const newlines1Mb = fill('\n', MB);
const mixed64Kb = fill('Revert "proj-1 PROJ-2 ABC-3"\nproj 4: x\n', 64 * 1024);
const revertLines = fill('This reverts commit 0123456.\n', 36_000 * 29);

const scenarios: { name: string; commits: CommitInfo[]; config: RepoConfig }[] = [
  { name: '3 commits × 1 MB of newlines (measured: 6.8 s blocked before)', commits: commits(3, () => newlines1Mb), config: configOf({}) },
  { name: '200 commits × 1 MB of newlines', commits: commits(200, () => newlines1Mb), config: configOf({}) },
  { name: '500 commits × 64 KB of revert/key-like lines', commits: commits(500, () => mixed64Kb), config: configOf({}) },
  {
    name: '3,000 commits + one with 36,000 "This reverts commit 0123456." lines (measured: 4 s before)',
    commits: [...commits(3000, (i) => `PROJ-${i + 1}: part`), ...commits(1, () => revertLines).map((c) => ({ ...c, sha: sha(9e6) }))],
    config: configOf({}),
  },
  {
    name: '2,000 commits "a…a!" (31 a) with exempt ^(a+)+$ (measured: 229 s before, per commit)',
    commits: commits(2000, () => `${'a'.repeat(31)}!`),
    config: configOf({ commits: { exempt: ['^(a+)+$'] } }),
  },
];

const matcher = createKeyMatcher({ projects: ['PROJ'] });
const ctx = { repo: { owner: 'acme', repo: 'shop' }, trigger: 'push' as const, evaluatedAt: new Date(0).toISOString(), pullRequest: null };

async function measure(run: () => Promise<unknown>): Promise<{ wallMs: number; maxDelayMs: number; maxTimerLateMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let maxLate = 0;
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    maxLate = Math.max(maxLate, now - expected);
    expected = now + 10;
  }, 10);
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 30)); // let the timer and histogram start ticking
  const started = performance.now();
  await run();
  const wallMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 30)); // let the last late tick be recorded
  histogram.disable();
  clearInterval(timer);
  return { wallMs, maxDelayMs: histogram.max / 1e6, maxTimerLateMs: maxLate };
}

/** Runs every step at once, timing each: the longest step bounds how long the yielding variant holds the loop. */
function runTimingSteps(ctx: Parameters<typeof buildDeployReportSteps>[0], input: DeployReportInput): { longestStepMs: number; steps: number } {
  const steps = buildDeployReportSteps(ctx, input);
  let longestStepMs = 0;
  let count = 0;
  for (;;) {
    const started = performance.now();
    const next = steps.next();
    longestStepMs = Math.max(longestStepMs, performance.now() - started);
    count += 1;
    if (next.done) return { longestStepMs, steps: count };
  }
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
console.log('| input | variant | wall time | longest step | max event-loop delay | worst 10 ms timer lateness |');
console.log('|---|---|---|---|---|---|');
for (const s of scenarios) {
  const input: DeployReportInput = {
    range: {
      baseBranch: 'production',
      headBranch: 'deploy',
      baseSha: sha(0),
      headSha: sha(1),
      status: 'ahead',
      aheadBy: s.commits.length,
      behindBy: 0,
      commits: s.commits,
    },
    config: s.config,
    matcher,
    tickets: null,
  };
  let timing = { longestStepMs: 0, steps: 0 };
  const sync = await measure(async () => {
    timing = runTimingSteps(ctx, input);
  });
  const yielding = await measure(() => buildDeployReportYielding(ctx, input));
  const longest = `${fmt(timing.longestStepMs)} (of ${timing.steps} steps)`;
  console.log(`| ${s.name} | sync | ${fmt(sync.wallMs)} | ${longest} | ${fmt(sync.maxDelayMs)} | ${fmt(sync.maxTimerLateMs)} |`);
  console.log(`| ${s.name} | yielding | ${fmt(yielding.wallMs)} | | ${fmt(yielding.maxDelayMs)} | ${fmt(yielding.maxTimerLateMs)} |`);
}
