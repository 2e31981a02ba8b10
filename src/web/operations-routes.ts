/**
 * Routes for operators and orchestrators: `/healthz` (the process answers), `/readyz` (every readiness check
 * passes: store reachable and migrated, queue accepting work…; 503 naming the failing checks otherwise), `/metrics`
 * (Prometheus text format; Bearer METRICS_TOKEN when configured) and `/` → `/deploys`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { constantTimeEqual } from './session-cookie.js';

export type ReadinessResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ReadinessCheck {
  readonly name: string;
  run(): Promise<ReadinessResult>;
}

export interface OperationsDeps {
  readonly checks: readonly ReadinessCheck[];
  readonly registry: Registry | null;
  readonly metricsToken: string | null;
  readonly logger: Logger;
  /** Per check; a check that takes longer fails. Default 2 s. */
  readonly checkTimeoutMs?: number;
}

function sendText(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      check.run().catch((err: unknown) => ({ ok: false as const, reason: err instanceof Error ? err.message : String(err) })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function createOperationsHandler(deps: OperationsDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const timeoutMs = deps.checkTimeoutMs ?? 2000;
  const log = deps.logger.child({ component: 'operations' });
  let lastFailures = '';
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (path === '/') {
      res.statusCode = 302;
      res.setHeader('Location', '/deploys');
      res.end();
      return true;
    }
    if (path === '/healthz') {
      sendText(req, res, 200, 'text/plain; charset=utf-8', 'ok\n');
      return true;
    }
    if (path === '/readyz') {
      const results = await Promise.all(deps.checks.map(async (check) => ({ name: check.name, result: await runCheck(check, timeoutMs) })));
      const failures = results.filter((r) => !r.result.ok).map((r) => `${r.name}: ${(r.result as { reason: string }).reason}`);
      const summary = failures.join('; ');
      if (summary !== lastFailures) {
        if (failures.length) log.error({ failures }, 'not ready');
        else log.info('ready again');
        lastFailures = summary;
      }
      const body = {
        ready: failures.length === 0,
        checks: Object.fromEntries(results.map((r) => [r.name, r.result.ok ? 'ok' : (r.result as { reason: string }).reason])),
      };
      sendText(req, res, failures.length ? 503 : 200, 'application/json; charset=utf-8', JSON.stringify(body));
      return true;
    }
    if (path === '/metrics' && deps.registry) {
      if (deps.metricsToken !== null) {
        const header = req.headers.authorization ?? '';
        const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
        if (!constantTimeEqual(token, deps.metricsToken)) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
          sendText(req, res, 401, 'text/plain; charset=utf-8', 'unauthorized\n');
          return true;
        }
      }
      sendText(req, res, 200, deps.registry.contentType, await deps.registry.metrics());
      return true;
    }
    return false;
  };
}
