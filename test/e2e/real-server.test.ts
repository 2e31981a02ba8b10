/**
 * The built server as a real process (`node dist/main.js`, `npm start`) against loopback fakes of GitHub and JIRA:
 * configured through `.env` alone, stopped by signals to its process group.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PRIVATE_KEY } from '../helpers/app-harness.js';
import { deliverSignedPush, serverSettings, startAppProcess, type AppProcess } from '../helpers/app-process.js';
import { fakeSha, startFakeServices, type FakeServices } from '../helpers/fake-services.js';

const SECRET = 'e2e-dotenv-webhook-secret';
const repo = { owner: 'acme', repo: 'shop', installationId: 77 };
const PROD = fakeSha('real-prod');
const HEAD = fakeSha('real-head');

const running: { app?: AppProcess; fakes?: FakeServices } = {};
afterEach(async () => {
  await running.app?.stop();
  await running.fakes?.close();
  if (running.app) expect(running.app.groupAlive(), 'a process of the server outlived the test').toBe(false);
  running.app = undefined;
  running.fakes = undefined;
});

async function fakes(): Promise<FakeServices> {
  running.fakes = await startFakeServices({
    repo,
    baseSha: PROD,
    headSha: HEAD,
    commits: [
      { sha: fakeSha('real-1'), message: 'PROJ-1: login' },
      { sha: fakeSha('real-2'), message: 'PROJ-2: logout' },
    ],
    knownKeys: ['PROJ-1', 'PROJ-2'],
  });
  return running.fakes;
}

const settings = (f: FakeServices, extra: Record<string, string> = {}) => serverSettings(f, { privateKey: PRIVATE_KEY, webhookSecret: SECRET }, extra);

const deliverPush = (app: AppProcess) => deliverSignedPush(app, SECRET, repo, HEAD);

const isFinal = (s: { sha: string; state: string }) => s.sha === HEAD && s.state !== 'pending';

describe('the built server', () => {
  it('configured through .env alone, answers a signed push with a final status', async () => {
    const f = await fakes();
    const cwd = mkdtempSync(join(tmpdir(), 'dc-dotenv-'));
    running.app = await startAppProcess({ command: 'node', cwd, envFile: settings(f, { DATABASE_URL: `sqlite:${join(cwd, 'data/store.sqlite')}` }) });
    expect(await deliverPush(running.app)).toBe(200);
    const final = await f.statusWhere(isFinal);
    expect(final).toMatchObject({ state: 'success', context: 'deploy-checker' });
    const output = running.app.output();
    expect(output).toContain('"msg":"configuration"');
    for (const secret of ['jira-e2e-token', SECRET, 'BEGIN PRIVATE KEY', 'ghs_fake_installation_token']) expect(output).not.toContain(secret);
  });

  it('SIGTERM to `npm start` reaches node: the server stops within the deadline and nothing of it remains', async () => {
    const f = await fakes();
    const app = await startAppProcess({ command: 'npm-start', env: settings(f, { DATABASE_URL: 'sqlite::memory:', SHUTDOWN_TIMEOUT_MS: '5000' }) });
    running.app = app;
    const sent = Date.now();
    app.signalLeader('SIGTERM'); // npm only, as a container runtime does: it must reach node
    const exit = await app.exited;
    expect(exit.at - sent).toBeLessThan(5000);
    // The node server itself ran its shutdown and is gone, not orphaned.
    for (let i = 0; i < 50 && app.groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(app.groupAlive()).toBe(false);
    expect(app.output()).toContain('shutting down');
    expect(app.output()).toContain('"msg":"stopped"');
  });

  it('SIGTERM sent twice to the process group mid-check still ends with the final status, then exits', async () => {
    const f = await fakes();
    const app = await startAppProcess({ command: 'npm-start', env: settings(f, { DATABASE_URL: 'sqlite::memory:', SHUTDOWN_TIMEOUT_MS: '20000' }) });
    running.app = app;
    f.holdJira();
    const asked = f.nextBulkfetch();
    expect(await deliverPush(app)).toBe(200);
    await asked;
    app.signalGroup('SIGTERM');
    app.signalGroup('SIGTERM');
    f.releaseJira();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(f.statuses.filter(isFinal)).toHaveLength(1);
    expect(f.statuses.at(-1)).toMatchObject({ sha: HEAD, state: 'success' });
  });
});
