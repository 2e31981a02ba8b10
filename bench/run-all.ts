/**
 * `npm run bench`: every benchmark, one after the other (they share 2 cores badly). Each prints a Markdown table;
 * docs/BENCHMARKS.md holds the figures measured on this project's machines and the commands behind them.
 */
import { spawnSync } from 'node:child_process';

const benches = ['bench/render-report.bench.ts', 'bench/cli.bench.ts', 'bench/compare-payload-parse.bench.ts', 'bench/push-to-status.bench.ts'];
let failed = 0;
for (const file of benches) {
  console.log(`\n## ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.error(`${file} exited with ${run.status ?? run.signal}`);
  }
}
process.exit(failed ? 1 : 0);
