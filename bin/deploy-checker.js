#!/usr/bin/env node
// The `deploy-checker` command: runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs).
// `--help` and `--version` are answered from the argument parser and package.json alone, without loading the
// checker (zod, pino, yaml…): they start in a fraction of the time.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const { parseCliArgs } = await import('../dist/cli/parse-cli-args.js');
let quick = null;
try {
  quick = parseCliArgs(args).kind;
} catch {
  // A usage error: the full CLI reports it.
}
if (quick === 'help') {
  const { CLI_USAGE } = await import('../dist/cli/cli-usage.js');
  process.stdout.write(CLI_USAGE);
} else if (quick === 'version') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  });
}
