/**
 * Crashes and outages against the real server process (loopback fakes of GitHub and JIRA, a SQLite file that
 * survives the process): a SIGKILL in the middle of a repository's very first check, and a GitHub outage on the
 * status POST that outlasts octokit's retries. Both end with exactly one final status.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PRIVATE_KEY } from '../helpers/app-harness.js';
import { deliverSignedPush, serverSettings, startAppProcess, type AppProcess } from '../helpers/app-process.js';
import { fakeSha, startFakeServices, type FakeServices } from '../helpers/fake-services.js';

const SECRET = 'e2e-crash-webhook-secret';
const repo = { owner: 'acme', repo: 'fresh', installationId: 78 };
const PROD = fakeSha('crash-prod');
const HEAD = fakeSha('crash-head');

const running: { apps: AppProcess[]; fakes?: FakeServices } = { apps: [] };
afterEach(async () => {
  for (const app of running.apps.splice(0)) {
    await app.stop();
    expect(app.groupAlive()).toBe(false);
  }
  await running.fakes?.close();
  running.fakes = undefined;
});

async function fakes(): Promise<FakeServices> {
  running.fakes = await startFakeServices({
    repo,
    baseSha: PROD,
    headSha: HEAD,
    commits: [{ sha: fakeSha('crash-1'), message: 'PROJ-1: checkout' }],
    knownKeys: ['PROJ-1'],
  });
  return running.fakes;
}

async function start(f: FakeServices, cwd: string): Promise<AppProcess> {
  const app = await startAppProcess({
    command: 'node',
    cwd,
    envFile: serverSettings(
      f,
      { privateKey: PRIVATE_KEY, webhookSecret: SECRET },
      {
        DATABASE_URL: `sqlite:${join(cwd, 'data/store.sqlite')}`,
        STATUS_PENDING_DELAY_MS: '100',
        STATUS_SWEEP_INTERVAL_MS: '200',
        RECONCILE_INTERVAL_MS: '0',
      },
    ),
  });
  running.apps.push(app);
  return app;
}

async function deliverPush(app: AppProcess): Promise<void> {
  expect(await deliverSignedPush(app, SECRET, repo, HEAD)).toBe(200);
}

const isFinal = (s: { sha: string; state: string }) => s.sha === HEAD && s.state !== 'pending';

describe('crash recovery', () => {
  it('SIGKILL during a repository’s first check: after restart the head gets its final status', async () => {
    const f = await fakes();
    const cwd = mkdtempSync(join(tmpdir(), 'dc-crash-'));
    const first = await start(f, cwd);
    f.holdJira();
    const asked = f.nextBulkfetch();
    await deliverPush(first);
    await asked;
    await f.statusWhere((s) => s.sha === HEAD && s.state === 'pending');
    first.signalGroup('SIGKILL');
    await first.exited;
    f.releaseJira();

    await start(f, cwd);
    const final = await f.statusWhere(isFinal, 60_000);
    expect(final).toMatchObject({ state: 'success', context: 'deploy-checker' });
    expect(f.statuses.filter(isFinal)).toHaveLength(1);
  }, 90_000);

  it('a GitHub outage on the status POST longer than octokit’s retries: the final status arrives after recovery', async () => {
    const f = await fakes();
    const app = await start(f, mkdtempSync(join(tmpdir(), 'dc-outage-')));
    // octokit tries a request 4 times (3 retries over ~14 s): 6 failures outlast one whole attempt of the app.
    f.failStatuses(6);
    await deliverPush(app);
    const final = await f.statusWhere(isFinal, 60_000);
    expect(final).toMatchObject({ state: 'success' });
    const failedPosts = f.githubLog.filter((r) => r.method === 'POST' && r.url.includes('/statuses/')).length - f.statuses.length;
    expect(failedPosts).toBe(6);
  }, 90_000);
});
