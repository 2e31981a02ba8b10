/**
 * The CLI on a 5,000-commit range built with git fast-import: identical problems grouped into one, with
 * commits.exempt suggestions, and a markdown report that fits in a GitHub comment.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import { main } from '../../src/cli/main.js';
import { GITHUB_COMMENT_MAX, MARKDOWN_MAX_BYTES, utf8Length } from '../../src/core/report/format-report-markdown.js';
import { buildLinearHistory } from './fast-import-history.js';
import { captureIo, createTempDirs, isolatedGitEnv } from './git-test-repo.js';

const temp = createTempDirs();
let dir: string;
let env: NodeJS.ProcessEnv;

// 5,000 commits: 3,000 with a ticket (3,000 tickets), 1,204 "MINOR:", 500 "HOTFIX:", 296 "Bump …".
function message(i: number): string {
  if (i < 3000) return `PROJ-${i + 1}: change ${i} of the ${['cart', 'price', 'search'][i % 3]} service\n\nWhy: see the ticket.\n`;
  if (i < 4204) return `MINOR: tidy up module ${i}\n`;
  if (i < 4704) return `HOTFIX: patch ${i}\n`;
  return `Bump lib-${i} from 1.0.${i} to 1.0.${i + 1}\n`;
}

beforeAll(() => {
  const root = temp.make('large');
  env = isolatedGitEnv(root);
  dir = `${root}/repo`;
  mkdirSync(dir);
  buildLinearHistory({ dir, env, messages: Array.from({ length: 5000 }, (_, i) => message(i)), fromTag: 'base', toTag: 'head' });
});
afterAll(() => temp.cleanup());

async function run(format: string) {
  const cap = captureIo({ cwd: dir, env });
  const code = await main(['check', '--from', 'base', '--to', 'head', '--projects', 'PROJ', '--format', format], cap.io);
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
}

describe('a 5,000-commit range', () => {
  it('text: the 2,000 commits without a ticket are one problem, with the common prefixes suggested as commits.exempt', async () => {
    const r = await run('text');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('\nProblems (2,000 in 1 group)\n  1. 2,000 commits have no ticket: ');
    expect(r.stdout).toMatch(/ and 1,990 more\n {5}Fix: Reference a ticket in the commit message/);
    expect(r.stdout).toContain(
      'The most common subject prefixes here: "MINOR:" (1,204 commits), "HOTFIX:" (500), "Bump " (296); if such commits need no ticket: commits.exempt: ["^MINOR:","^HOTFIX:","^Bump "].',
    );
    expect(r.stdout).not.toMatch(/^ {2}2\. /m);
  });

  it(`markdown: at most ${MARKDOWN_MAX_BYTES.toLocaleString('en-US')} bytes, long lists cut with "and N more" and a pointer to --format json`, async () => {
    const r = await run('markdown');
    expect(r.code).toBe(1);
    expect(utf8Length(r.stdout)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(r.stdout.length).toBeLessThan(GITHUB_COMMENT_MAX);
    expect(r.stdout).toContain('#### Tickets (3,000)');
    expect(r.stdout).toMatch(/_… and [\d,]+ more tickets: the full list is in `--format json`\._/);
    expect(r.stdout).toMatch(/_… and [\d,]+ more commits: the full list is in `--format json`\._/);
    expect(r.stdout.match(/^- \[ \] /gm)).toHaveLength(1);
  });

  it('json: everything, one finding per commit', async () => {
    const r = await run('json');
    const report = JSON.parse(r.stdout) as DeployReport;
    expect(report.tickets).toHaveLength(3000);
    expect(report.findings).toHaveLength(2000);
  });
});
