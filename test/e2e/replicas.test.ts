/**
 * Two replicas of the real server on one PostgreSQL behind a "load balancer" (deliveries alternate between them,
 * and every push reaches both): exactly one final status per head and context; a replica SIGKILLed mid-burst
 * loses no work — the survivor's intent sweep finishes it once the dead replica's leases expire.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PRIVATE_KEY } from '../helpers/app-harness.js';
import { deliverSignedPush, serverSettings, startAppProcess, type AppProcess } from '../helpers/app-process.js';
import { fakeSha, startFakeServices, type FakeRepository, type FakeServices } from '../helpers/fake-services.js';
import { postgresBackend } from '../store/store-test-backends.js';

const SECRET = 'e2e-replicas-webhook-secret';
const REPOS = 8;

const repositories: FakeRepository[] = Array.from({ length: REPOS }, (_, i) => ({
  repo: { owner: 'acme', repo: `service-${i}`, installationId: 500 + (i % 4) },
  baseSha: fakeSha(`rep-prod-${i}`),
  headSha: fakeSha(`rep-head-${i}`),
  commits: [{ sha: fakeSha(`rep-commit-${i}`), message: `PROJ-${i + 1}: change ${i}` }],
}));

const running: { apps: AppProcess[]; fakes?: FakeServices; dispose?: () => Promise<void> } = { apps: [] };
afterEach(async () => {
  for (const app of running.apps.splice(0)) {
    await app.stop();
    expect(app.groupAlive()).toBe(false);
  }
  await running.fakes?.close();
  await running.dispose?.();
  running.fakes = undefined;
  running.dispose = undefined;
});

async function setUp(replicas: number, reconcileIntervalMs = 0): Promise<{ f: FakeServices; apps: AppProcess[] }> {
  const [first, ...more] = repositories;
  const f = await startFakeServices({ ...first!, more, knownKeys: repositories.map((_, i) => `PROJ-${i + 1}`) });
  running.fakes = f;
  const database = await postgresBackend.freshDatabase();
  running.dispose = database.dispose;
  const apps: AppProcess[] = [];
  for (let i = 0; i < replicas; i++) {
    const app = await startAppProcess({
      command: 'node',
      cwd: mkdtempSync(join(tmpdir(), `dc-replica-${i}-`)),
      envFile: serverSettings(
        f,
        { privateKey: PRIVATE_KEY, webhookSecret: SECRET },
        {
          DATABASE_URL: database.url,
          STATUS_PENDING_DELAY_MS: '100',
          STATUS_SWEEP_INTERVAL_MS: '250',
          STATUS_LEASE_MS: '3000',
          RECONCILE_INTERVAL_MS: String(reconcileIntervalMs),
        },
      ),
    });
    running.apps.push(app);
    apps.push(app);
  }
  return { f, apps };
}

const deliver = (app: AppProcess, target: FakeRepository) => deliverSignedPush(app, SECRET, target.repo, target.headSha);

const finalsOf = (f: FakeServices, target: FakeRepository) =>
  f.statuses.filter((s) => s.sha === target.headSha && s.context === 'deploy-checker' && s.state !== 'pending');

describe('two replicas on one PostgreSQL', () => {
  it('a burst delivered round-robin (each push to both) gives exactly one final status per head', async () => {
    const { f, apps } = await setUp(2);
    const answers = await Promise.all(repositories.flatMap((target, i) => [deliver(apps[i % 2]!, target), deliver(apps[(i + 1) % 2]!, target)]));
    expect(answers.every((status) => status === 200)).toBe(true);
    await Promise.all(repositories.map((target) => f.statusWhere((s) => s.sha === target.headSha && s.state !== 'pending', 60_000)));
    // Both replicas went idle: nothing more is owed. Then count.
    for (const app of apps) await app.stop();
    for (const target of repositories) expect(finalsOf(f, target), target.repo.repo).toHaveLength(1);
  }, 120_000);

  it('SIGKILL one replica mid-burst: every head still ends final, once', async () => {
    // Evaluations it had started are taken over from their status intents when its leases expire; pushes it had
    // only queued are found by the survivor's reconciler (every repository a webhook came for is known).
    const { f, apps } = await setUp(2, 2000);
    f.holdJira();
    const answers = await Promise.all(repositories.map((target, i) => deliver(apps[i % 2]!, target)));
    expect(answers.every((status) => status === 200)).toBe(true);
    await f.nextBulkfetch();
    apps[0]!.signalGroup('SIGKILL');
    await apps[0]!.exited;
    f.releaseJira();
    await Promise.all(repositories.map((target) => f.statusWhere((s) => s.sha === target.headSha && s.state !== 'pending', 90_000)));
    await apps[1]!.stop();
    for (const target of repositories) expect(finalsOf(f, target), target.repo.repo).toHaveLength(1);
  }, 150_000);
});
