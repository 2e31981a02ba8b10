/**
 * The CLI as it ran before the build: TypeScript from src/ through tsx (`node --import tsx bench/cli-from-source.ts`),
 * for the compiled-vs-tsx rows of bench/cli.bench.ts. Not used by the product.
 */
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
});
