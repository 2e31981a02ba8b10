import type { Server } from 'node:http';
import { serveHandler } from '../helpers/serve-handler.js';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppMetrics } from '../../src/app/app-metrics.js';
import { createOperationsHandler, type ReadinessCheck } from '../../src/web/operations-routes.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function start(checks: ReadinessCheck[], metricsToken: string | null = null) {
  const metrics = createAppMetrics({ defaultMetrics: false });
  metrics.observe({ queueDepth: () => 3 });
  metrics.webhookDeliveries.inc({ event: 'push' });
  const handler = createOperationsHandler({ checks, registry: metrics.registry, metricsToken, logger: pino({ level: 'silent' }), checkTimeoutMs: 200 });
  return serveHandler(handler, servers);
}

describe('operations routes', () => {
  it('/healthz answers while the process runs; / redirects to /deploys', async () => {
    const base = await start([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/deploys');
  });

  it('/readyz is 200 when every check passes and 503 naming the failing one (including a hung check)', async () => {
    let storeOk = true;
    const base = await start([
      { name: 'store', run: async () => (storeOk ? { ok: true } : { ok: false, reason: 'the store file was deleted while the server ran' }) },
      { name: 'queue', run: async () => ({ ok: true }) },
    ]);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { store: 'ok', queue: 'ok' } });
    storeOk = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, checks: { store: 'the store file was deleted while the server ran', queue: 'ok' } });

    const hung = await start([{ name: 'store', run: () => new Promise(() => undefined) }]);
    const res = await fetch(`${hung}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, checks: { store: 'no answer within 200 ms' } });
  });

  it('/metrics serves Prometheus text; with METRICS_TOKEN only to the bearer', async () => {
    const open = await start([]);
    const text = await (await fetch(`${open}/metrics`)).text();
    expect(text).toContain('deploy_checker_webhook_deliveries_total{event="push"} 1');
    expect(text).toContain('deploy_checker_queue_depth 3');

    const guarded = await start([], 'metrics-token-0123456789');
    expect((await fetch(`${guarded}/metrics`)).status).toBe(401);
    expect((await fetch(`${guarded}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${guarded}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
  });
});
