#!/usr/bin/env node
// The `deploy-checker` command: runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs).
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
});
