import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/core/domain.js';
import { main } from '../../src/cli/main.js';
import { buildScenario, captureIo, createTempDirs, createTestRepo, type Scenario } from './git-test-repo.js';

const temp = createTempDirs();
let s: Scenario;

beforeAll(() => {
  s = buildScenario(temp.make('scenario'));
});
afterAll(() => temp.cleanup());

function execGit(cwd: string, env: NodeJS.ProcessEnv, args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' });
}

async function run(args: string[], options: { isTTY?: boolean; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const cap = captureIo({ cwd: options.cwd ?? s.repo.dir, env: options.env ?? s.repo.env, isTTY: options.isTTY ?? false });
  const code = await main(args, cap.io);
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
}

function expectOneErrorLine(result: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^deploy-checker: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
}

describe('deploy-checker check without JIRA', () => {
  it('passes (exit 0) on a range whose every commit has a key, and says ticket checks were skipped', async () => {
    const r = await run(['check', '--from', 'v1.0', '--to', s.sha.proj2, '--projects', 'PROJ']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^deploy-checker: PASS — 1 ticket referenced in 1 commit; ticket checks skipped\n/);
    expect(r.stdout).toContain(`PROJ-2  (not looked up)\n          ${s.sha.proj2.slice(0, 7)} PROJ-2: add the price endpoint\n`);
    // The notice comes right after the verdict, before any detail.
    expect(r.stdout.split('\n')[1]).toMatch(/^Ticket checks skipped: no JIRA settings/);
  });

  it('fails (exit 1) with problems first, then tickets, commits without a ticket and reverts (text)', async () => {
    const r = await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ,OPS']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toMatch(/^deploy-checker: FAIL — 1 problem: 1 commit without a ticket\n/);
    expect(out).toContain(`Range:      v1.0 (${s.sha.initial.slice(0, 7)}) .. v1.1 (${s.sha.revert.slice(0, 7)}): 7 commits ahead, 0 behind\n`);
    expect(out).toContain(
      `Problems (1)\n  1. commit ${s.sha.typo.slice(0, 7)} has no ticket\n     Fix: Reference a ticket in the commit message (e.g. "PROJ-123: fix typo")`,
    );
    expect(out).toContain('Tickets (3)\n  PROJ-2  (not looked up)');
    expect(out).toContain(`  PROJ-3  (not looked up)\n          ${s.sha.proj3.slice(0, 7)} PROJ-3: part one of the cart\n`);
    expect(out).toContain(`  OPS-7   (not looked up)\n          ${s.sha.ops7.slice(0, 7)} OPS-7: raise the pool size\n`);
    expect(out).toContain(`Commits without a ticket (1)\n  ${s.sha.typo.slice(0, 7)} fix typo\n`);
    expect(out).toContain(`Exempt commits without a ticket (1)\n  ${s.sha.merge.slice(0, 7)} Merge branch 'feature' into deploy  [merge commit]\n`);
    expect(out).toContain(
      `Reverted (1): tickets whose change this deploy takes out\n  PROJ-4\n    ${s.sha.proj4.slice(0, 7)} PROJ-4: risky change\n    ${s.sha.revert.slice(0, 7)} Revert "PROJ-4: risky change"\n`,
    );
    // Sections in order: problems, tickets, commits without a ticket, reverts.
    const order = ['Problems (', 'Tickets (', 'Commits without a ticket (', 'Reverted ('].map((h) => out.indexOf(h));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  it('prints the DeployReport exactly as JSON: oldest commit first, trigger cli, tickets skipped', async () => {
    const r = await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ,OPS', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(r.stdout).toContain('\n  "kind": "deploy",\n');
    const report = JSON.parse(r.stdout) as DeployReport;
    expect(Object.keys(report).sort()).toEqual(
      [
        'kind',
        'repo',
        'pullRequest',
        'baseBranch',
        'headBranch',
        'baseSha',
        'headSha',
        'trigger',
        'evaluatedAt',
        'state',
        'error',
        'compare',
        'commits',
        'tickets',
        'reverted',
        'commitsWithoutTicket',
        'findings',
        'ticketChecksSkipped',
        'statusDescription',
      ].sort(),
    );
    expect(report).toMatchObject({
      kind: 'deploy',
      repo: { owner: '', repo: 'repo' },
      pullRequest: null,
      baseBranch: 'v1.0',
      headBranch: 'v1.1',
      baseSha: s.sha.initial,
      headSha: s.sha.revert,
      trigger: 'cli',
      evaluatedAt: '2024-05-01T12:00:00.000Z',
      state: 'failure',
      error: null,
      compare: { status: 'ahead', aheadBy: 7, behindBy: 0 },
      ticketChecksSkipped: true,
      statusDescription: '1 problem: 1 commit without a ticket',
    });
    expect(report.tickets).toEqual([
      { key: 'PROJ-2', ticket: null, commitShas: [s.sha.proj2] },
      { key: 'PROJ-3', ticket: null, commitShas: [s.sha.proj3] },
      { key: 'OPS-7', ticket: null, commitShas: [s.sha.ops7] },
    ]);
    expect(report.reverted).toEqual([{ key: 'PROJ-4', commitShas: [s.sha.proj4, s.sha.revert] }]);
    expect(report.commitsWithoutTicket).toEqual([
      { sha: s.sha.typo, exemptReason: null },
      { sha: s.sha.merge, exemptReason: 'merge commit' },
    ]);
    // Oldest first: every parent inside the range comes before its child.
    const position = new Map(report.commits.map((c, i) => [c.sha, i]));
    for (const [i, c] of report.commits.entries()) for (const p of c.parents) expect(position.get(p) ?? -1).toBeLessThan(i);
    expect(report.commits[0]).toEqual({
      sha: s.sha.proj2,
      message: 'PROJ-2: add the price endpoint\n\nLonger description.',
      authorLogin: null,
      authorName: 'Test Dev',
      date: expect.stringMatching(/^2023-11-14T\d\d:\d\d:\d\dZ$|^2023-11-14T\d\d:\d\d:\d\d\+00:00$/),
      parents: [s.sha.initial],
      url: null,
    });
    expect(report.commits.at(-1)!.sha).toBe(s.sha.revert);
    expect(report.commits.find((c) => c.sha === s.sha.merge)!.parents).toEqual([s.sha.typo, s.sha.ops7]);
  });

  it('renders markdown: checklist of problems, ticket table, commits and reverts', async () => {
    const r = await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ,OPS', '--format', 'markdown']);
    expect(r.code).toBe(1);
    const md = r.stdout;
    expect(md.startsWith('### ❌ Deploy check: FAIL — 1 problem: 1 commit without a ticket\n')).toBe(true);
    expect(md).toContain(`#### Problems (1)\n\n- [ ] **commit ${s.sha.typo.slice(0, 7)} has no ticket**: Reference a ticket`);
    expect(md).toContain('| Ticket | Summary | Type | Status | Commits |\n| --- | --- | --- | --- | --- |\n');
    expect(md).toContain(`| PROJ-3 | _not looked up_ |  |  | \`${s.sha.proj3.slice(0, 7)}\` |`);
    expect(md).toContain(`#### Commits without a ticket (1)\n\n- \`${s.sha.typo.slice(0, 7)}\` fix typo\n`);
    expect(md).toContain(`- \`${s.sha.merge.slice(0, 7)}\` Merge branch 'feature' into deploy _(merge commit)_`);
    expect(md).toContain(
      `- **PROJ-4** taken out by \`${s.sha.proj4.slice(0, 7)}\` PROJ-4: risky change; \`${s.sha.revert.slice(0, 7)}\` Revert "PROJ-4: risky change"`,
    );
    expect(md).toContain('> Ticket checks skipped: no JIRA settings (JIRA\\_BASE\\_URL');
  });

  it('reports a diverged deploy branch (behind production) as a problem', async () => {
    const r = await run(['check', '--from', 'production', '--to', 'deploy', '--projects', 'PROJ,OPS', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as DeployReport;
    expect(report.compare).toEqual({ status: 'diverged', aheadBy: 7, behindBy: 1 });
    expect(report.baseSha).toBe(s.sha.hotfix);
    expect(report.findings[0]).toMatchObject({ rule: 'branch-behind', summary: 'deploying this would roll back 1 commit of production' });
  });

  it('reports a deploy that is only behind: nothing new, one commit rolled back', async () => {
    const r = await run(['check', '--from', 'production', '--to', 'v1.0', '--projects', 'PROJ']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('0 commits ahead, 1 behind (behind)');
    expect(r.stdout).toContain('1. deploying this would roll back 1 commit of production');
  });

  it('passes an identical range (nothing to deploy)', async () => {
    const r = await run(['check', '--from', 'v1.1', '--to', 'deploy', '--projects', 'PROJ']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS — Nothing to deploy: no commits ahead of production');
    expect(r.stdout).toContain('0 commits ahead, 0 behind (identical)');
  });

  it('reads the repository given with --repo, from another working directory', async () => {
    const r = await run(['check', '--repo', s.repo.dir, '--from', 'v1.0', '--to', s.sha.proj2, '--projects', 'PROJ'], { cwd: path.dirname(s.repo.dir) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PROJ-2');
  });

  it('takes the owner/name from the origin remote', async () => {
    const repo = createTestRepo(temp.make('origin'));
    repo.commit('PROJ-1: one');
    repo.commit('PROJ-2: two');
    repo.git(['remote', 'add', 'origin', 'git@github.com:acme/shop.git']);
    const cap = captureIo({ cwd: repo.dir, env: repo.env });
    expect(await main(['check', '--from', 'HEAD~1', '--to', 'HEAD', '--projects', 'PROJ', '--format', 'json'], cap.io)).toBe(0);
    expect((JSON.parse(cap.stdout()) as DeployReport).repo).toEqual({ owner: 'acme', repo: 'shop' });
  });

  it('reads the origin URL as git does, with url.<base>.insteadOf applied', async () => {
    const repo = createTestRepo(temp.make('origin-insteadof'));
    repo.commit('PROJ-1: one');
    repo.commit('PROJ-2: two');
    repo.git(['config', 'url.git@github.com:acme/.insteadOf', 'acme:']);
    repo.git(['remote', 'add', 'origin', 'acme:shop.git']);
    const cap = captureIo({ cwd: repo.dir, env: repo.env });
    expect(await main(['check', '--from', 'HEAD~1', '--to', 'HEAD', '--projects', 'PROJ'], cap.io)).toBe(0);
    expect(cap.stdout()).toContain('\nRepository: acme/shop\n');
  });
});

describe('config', () => {
  it('uses .github/deploy-checker.yml of the --to commit (projects, exemptions) and warns that _extends is not followed', async () => {
    const repo = createTestRepo(temp.make('config'));
    repo.commit('PROJ-1: one');
    repo.commit('chore: bump the lockfile');
    repo.writeFile('.github/deploy-checker.yml', '_extends: acme/.github\njira:\n  projects: [PROJ, OPS]\ncommits:\n  exempt: ["^chore:"]\n');
    repo.git(['add', '.github/deploy-checker.yml']);
    repo.git(['commit', '-q', '-m', 'OPS-2: two']);
    const cap = captureIo({ cwd: repo.dir, env: repo.env });
    const code = await main(['check', '--from', 'HEAD~2', '--to', 'HEAD'], cap.io);
    expect(code).toBe(0);
    expect(cap.stderr()).toMatch(
      /^deploy-checker: warning: HEAD:\.github\/deploy-checker\.yml has _extends: "acme\/\.github", which cannot be followed locally; using the local file alone[^\n]*\n$/,
    );
    expect(cap.stdout()).toContain('chore: bump the lockfile  [subject matches ^chore:]');
    expect(cap.stdout()).toContain('OPS-2');
  });

  it('reads the config of the --to commit, not the work tree, and warns when the work tree has another one', async () => {
    const repo = createTestRepo(temp.make('config-at-to'));
    repo.commit('PROJ-1: one');
    repo.writeFile('.github/deploy-checker.yml', 'jira:\n  projects: [PROJ]\ncommits:\n  exempt: ["^MINOR:"]\n');
    repo.git(['add', '.github/deploy-checker.yml']);
    repo.git(['commit', '-q', '-m', 'PROJ-2: the config']);
    repo.commit('MINOR: tidy');
    // Checked out elsewhere, with an uncommitted edit: neither is what --to ships.
    repo.git(['checkout', '-q', 'HEAD~2']);
    repo.writeFile('.github/deploy-checker.yml', 'jira:\n  projects: [OTHER]\n');
    const cap = captureIo({ cwd: repo.dir, env: repo.env });
    expect(await main(['check', '--from', 'HEAD', '--to', 'production'], cap.io)).toBe(0);
    expect(cap.stdout()).toContain('MINOR: tidy  [subject matches ^MINOR:]');
    expect(cap.stderr()).toMatch(
      /^deploy-checker: warning: \.github\/deploy-checker\.yml in the work tree differs from the one in --to production; the committed one is used \(pass --config \S+ to use the work tree's\)\n$/,
    );
    // --config takes the work tree's file explicitly.
    const explicit = captureIo({ cwd: repo.dir, env: repo.env });
    expect(await main(['check', '--from', 'HEAD', '--to', 'production', '--config', '.github/deploy-checker.yml'], explicit.io)).toBe(1);
    expect(explicit.stdout()).toContain('Commits without a ticket (2)');
    // A --to without the file: the defaults, and no jira.projects.
    const before = captureIo({ cwd: repo.dir, env: repo.env });
    expect(await main(['check', '--from', 'HEAD', '--to', 'HEAD'], before.io)).toBe(2);
    expect(before.stderr()).toContain('work tree differs from the one in --to HEAD (which has none)');
    expect(before.stderr()).toContain('no JIRA projects to look for: pass --projects PROJ,OPS or set jira.projects in .github/deploy-checker.yml');
  });

  it('names the commit in config errors, and refuses a config path that is not a file in the commit', async () => {
    const repo = createTestRepo(temp.make('config-bad-commit'));
    repo.commit('PROJ-1: one');
    repo.writeFile('.github/deploy-checker.yml', 'jira: [unclosed\n');
    repo.git(['add', '.github/deploy-checker.yml']);
    repo.git(['commit', '-q', '-m', 'PROJ-2: broken config']);
    repo.git(['tag', 'broken']);
    repo.git(['rm', '-q', '.github/deploy-checker.yml']);
    repo.writeFile('.github/deploy-checker.yml/inner', 'x\n');
    repo.git(['add', '.github/deploy-checker.yml/inner']);
    repo.git(['commit', '-q', '-m', 'PROJ-3: a directory']);
    const broken = captureIo({ cwd: repo.dir, env: repo.env });
    expect(await main(['check', '--from', 'HEAD~2', '--to', 'broken', '--projects', 'PROJ'], broken.io)).toBe(2);
    expect(broken.stderr()).toMatch(/^deploy-checker: config broken:\.github\/deploy-checker\.yml is not valid YAML: /);
    const dir = captureIo({ cwd: repo.dir, env: repo.env });
    expect(await main(['check', '--from', 'HEAD~2', '--to', 'HEAD', '--projects', 'PROJ'], dir.io)).toBe(2);
    expect(dir.stderr()).toBe('deploy-checker: cannot read config HEAD:.github/deploy-checker.yml: it is not a file\n');
  });

  it('--projects wins over jira.projects of the config', async () => {
    const dir = temp.make('cfg-projects');
    const file = path.join(dir, 'c.yml');
    writeFileSync(file, 'jira:\n  projects: [OTHER]\n');
    const r = await run(['check', '--config', file, '--from', 'v1.0', '--to', s.sha.proj2, '--projects', 'proj']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PROJ-2');
  });

  it('rejects an invalid config (exit 2, one line)', async () => {
    const dir = temp.make('cfg-bad');
    const file = path.join(dir, 'bad.yml');
    writeFileSync(file, 'jira:\n  projects: [proj-1]\nrulez: {}\n');
    const r = await run(['check', '--config', file, '--from', 'v1.0', '--to', 'v1.1']);
    expectOneErrorLine(r, /^deploy-checker: invalid config \S+bad\.yml: .*jira\.projects\.0: must be an upper-case JIRA project key.*unknown key "rulez"/);
  });

  it('rejects a config that is not YAML, and a missing --config file', async () => {
    const dir = temp.make('cfg-yaml');
    const file = path.join(dir, 'broken.yml');
    writeFileSync(file, 'jira: [unclosed\nrules: 2\n');
    expectOneErrorLine(await run(['check', '--config', file, '--from', 'v1.0', '--to', 'v1.1']), /is not valid YAML: /);
    expectOneErrorLine(
      await run(['check', '--config', path.join(dir, 'missing.yml'), '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ']),
      /^deploy-checker: cannot read config \S+missing\.yml: no such file\n$/,
    );
  });
});

describe('bare and mirror clones', () => {
  it.each([['--bare'], ['--mirror']])('checks a git clone %s: same report, config from the --to commit, name from origin', async (flag) => {
    const source = createTestRepo(temp.make('bare-source'));
    source.commit('PROJ-1: one');
    source.writeFile('.github/deploy-checker.yml', 'jira:\n  projects: [PROJ]\ncommits:\n  exempt: ["^MINOR:"]\n');
    source.git(['add', '.github/deploy-checker.yml']);
    source.git(['commit', '-q', '-m', 'PROJ-2: the config']);
    source.commit('MINOR: tidy');
    source.commit('fix typo');
    const root = temp.make('bare');
    const bare = path.join(root, 'shop.git');
    source.git(['clone', '-q', flag, source.dir, bare]);
    const args = ['check', '--repo', bare, '--from', 'production~2', '--to', 'production', '--format', 'json'];
    const plain = captureIo({ cwd: root, env: source.env });
    expect(await main(args, plain.io)).toBe(1);
    expect(plain.stderr()).toBe('');
    const report = JSON.parse(plain.stdout()) as DeployReport;
    // A local path as origin names no owner: the directory, without .git.
    expect(report.repo).toEqual({ owner: '', repo: 'shop' });
    expect(report.commitsWithoutTicket.map((c) => c.exemptReason)).toEqual(['subject matches ^MINOR:', null]);
    expect(report.findings.map((f) => f.summary)).toEqual([`commit ${report.commits[1]!.sha.slice(0, 7)} has no ticket`]);

    execGit(bare, source.env, ['remote', 'set-url', 'origin', 'git@github.com:acme/shop.git']);
    const named = captureIo({ cwd: bare, env: source.env });
    expect(await main(['check', '--from', 'production~2', '--to', 'production', '--format', 'json'], named.io)).toBe(1);
    expect((JSON.parse(named.stdout()) as DeployReport).repo).toEqual({ owner: 'acme', repo: 'shop' });
  });
});

describe('could not evaluate (exit 2, one line on stderr)', () => {
  it('an unknown ref', async () => {
    expectOneErrorLine(
      await run(['check', '--from', 'v9.9', '--to', 'v1.1', '--projects', 'PROJ']),
      /^deploy-checker: --from v9\.9: no such commit, branch or tag in /,
    );
    expectOneErrorLine(await run(['check', '--from', 'v1.0', '--to', 'nope', '--projects', 'PROJ']), /^deploy-checker: --to nope: no such commit/);
  });

  it('a directory that is not a git repository, and one that does not exist', async () => {
    const dir = temp.make('not-git');
    expectOneErrorLine(await run(['check', '--from', 'a', '--to', 'b', '--projects', 'PROJ'], { cwd: dir }), /is not a git repository \(not a git repository/);
    expectOneErrorLine(await run(['check', '--repo', path.join(dir, 'nope'), '--from', 'a', '--to', 'b']), /^deploy-checker: no such directory: /);
  });

  it('the git directory of a work tree (while a subdirectory of the work tree is fine)', async () => {
    expectOneErrorLine(
      await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ'], { cwd: path.join(s.repo.dir, '.git') }),
      /^deploy-checker: \S+\.git is not a git work tree \(it is inside the git directory /,
    );
    mkdirSync(path.join(s.repo.dir, 'sub', 'dir'), { recursive: true });
    const r = await run(['check', '--from', 'v1.0', '--to', s.sha.proj2, '--projects', 'PROJ', '--format', 'json'], {
      cwd: path.join(s.repo.dir, 'sub', 'dir'),
    });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as DeployReport).repo).toEqual({ owner: '', repo: 'repo' });
  });

  it('a shallow clone (the range could be incomplete)', async () => {
    const root = temp.make('shallow');
    const clone = path.join(root, 'clone');
    s.repo.git(['clone', '-q', '--depth', '1', '--branch', 'deploy', `file://${s.repo.dir}`, clone]);
    expectOneErrorLine(
      await run(['check', '--from', 'HEAD~1', '--to', 'HEAD', '--projects', 'PROJ'], { cwd: clone }),
      /^deploy-checker: \S+ is a shallow clone, so the range may be incomplete: fetch the full history first \(git fetch --unshallow/,
    );
  });

  it('no projects to look for without JIRA', async () => {
    expectOneErrorLine(
      await run(['check', '--from', 'v1.0', '--to', 'v1.1']),
      /^deploy-checker: no JIRA projects to look for: pass --projects PROJ,OPS or set jira\.projects/,
    );
  });

  it('bad arguments', async () => {
    expectOneErrorLine(await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--format', 'xml']), /--format must be one of text, markdown, json \(got "xml"\)/);
    expectOneErrorLine(await run(['check', '--to', 'v1.1']), /^deploy-checker: missing --from <ref> \(see deploy-checker --help\)\n$/);
    expectOneErrorLine(await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--verbose']), /unknown option --verbose/);
    expectOneErrorLine(await run(['check', '--from', '--to', 'v1.1']), /^deploy-checker: option --from needs a value \(see deploy-checker --help\)\n$/);
    expectOneErrorLine(
      await run(['check', '--from=--output=x', '--to', 'v1.1', '--projects', 'PROJ']),
      /^deploy-checker: --from "--output=x" is not a git ref/,
    );
    expectOneErrorLine(
      await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ,not a key']),
      /--projects: "NOT A KEY" is not a JIRA project key/,
    );
    expectOneErrorLine(await run(['deploy']), /unknown command "deploy"/);
  });

  it('incomplete JIRA settings', async () => {
    const env = { ...s.repo.env, JIRA_BASE_URL: 'https://jira.example.test' };
    expectOneErrorLine(await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ'], { env }), /JIRA_BASE_URL is set but neither JIRA_PAT/);
  });
});

describe('help and progress', () => {
  it('--help prints the usage and exits 0', async () => {
    for (const args of [['--help'], ['check', '--help'], []]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: deploy-checker check --from <ref> --to <ref> [options]');
      expect(r.stdout).toContain('2  could not evaluate');
      expect(r.stderr).toBe('');
    }
  });

  it('shows a progress line on stderr when it is a terminal, and erases it before the report', async () => {
    const r = await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ,OPS'], { isTTY: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('\r\x1b[2Kreading commits…');
    expect(r.stderr).toContain('\r\x1b[2Kreading commits… 7');
    expect(r.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(r.stdout).toMatch(/^deploy-checker: FAIL/);
  });

  it('writes nothing extra on stderr when it is piped', async () => {
    const r = await run(['check', '--from', 'v1.0', '--to', 'v1.1', '--projects', 'PROJ,OPS'], { isTTY: false });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });
});
