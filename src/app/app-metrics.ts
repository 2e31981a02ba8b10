/**
 * The app's Prometheus metrics (prom-client), on a registry of their own: built once at start and handed to the
 * edges that count (no module-level state). Served at /metrics (src/web/operations-routes.ts).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type OutboundService = 'github' | 'jira' | 'slack';

export interface AppMetrics {
  readonly registry: Registry;
  /** Evaluations by kind (deploy, pull_request) and outcome (success, failure, error, skipped). */
  readonly evaluations: Counter<'kind' | 'outcome'>;
  readonly evaluationSeconds: Histogram<'kind'>;
  /** Requests to GitHub, JIRA and Slack by endpoint family (e.g. `GET /repos/{owner}/{repo}/compare/{basehead}`) and HTTP status (`error` without one). */
  readonly outboundRequests: Counter<'service' | 'endpoint' | 'status'>;
  readonly outboundSeconds: Histogram<'service' | 'endpoint'>;
  /** Times a request waited for a rate limit (GitHub primary/secondary, JIRA or Slack 429). */
  readonly rateLimitWaits: Counter<'service' | 'kind'>;
  readonly queueRejected: Counter<'reason'>;
  readonly webhookDeliveries: Counter<'event'>;
  /** Sets the gauges that are read when /metrics is scraped (queue depth, announcements by state). */
  readonly observe: (sources: { queueDepth?: () => number; announcements?: () => Promise<Record<string, number>> }) => void;
}

export function createAppMetrics(options: { defaultMetrics?: boolean } = {}): AppMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'deploy_checker_' });
  const registers = [registry];
  let queueDepth: (() => number) | null = null;
  let announcements: (() => Promise<Record<string, number>>) | null = null;
  new Gauge({
    name: 'deploy_checker_queue_depth',
    help: 'Jobs waiting or running in the work queue',
    registers,
    collect() {
      this.set(queueDepth ? queueDepth() : 0);
    },
  });
  new Gauge({
    name: 'deploy_checker_announcements',
    help: 'Slack announcements by state (pending, failed, posted)',
    labelNames: ['state'],
    registers,
    async collect() {
      if (!announcements) return;
      this.reset();
      for (const [state, count] of Object.entries(await announcements())) this.set({ state }, count);
    },
  });
  return {
    registry,
    evaluations: new Counter({ name: 'deploy_checker_evaluations_total', help: 'Evaluations by kind and outcome', labelNames: ['kind', 'outcome'], registers }),
    evaluationSeconds: new Histogram({
      name: 'deploy_checker_evaluation_seconds',
      help: 'Duration of an evaluation, from the job start to the final status',
      labelNames: ['kind'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    }),
    outboundRequests: new Counter({
      name: 'deploy_checker_outbound_requests_total',
      help: 'Requests to GitHub, JIRA and Slack by endpoint family and status',
      labelNames: ['service', 'endpoint', 'status'],
      registers,
    }),
    outboundSeconds: new Histogram({
      name: 'deploy_checker_outbound_request_seconds',
      help: 'Latency of requests to GitHub, JIRA and Slack',
      labelNames: ['service', 'endpoint'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
      registers,
    }),
    rateLimitWaits: new Counter({
      name: 'deploy_checker_rate_limit_waits_total',
      help: 'Requests that waited for a rate limit',
      labelNames: ['service', 'kind'],
      registers,
    }),
    queueRejected: new Counter({ name: 'deploy_checker_queue_rejected_total', help: 'Jobs the work queue refused', labelNames: ['reason'], registers }),
    webhookDeliveries: new Counter({
      name: 'deploy_checker_webhook_deliveries_total',
      help: 'GitHub webhook deliveries by event',
      labelNames: ['event'],
      registers,
    }),
    observe(sources) {
      if (sources.queueDepth) queueDepth = sources.queueDepth;
      if (sources.announcements) announcements = sources.announcements;
    },
  };
}

/** A metrics label for a request: the route template, never the concrete path (bounded cardinality, no secrets). */
export function endpointFamily(method: string, routeOrPath: string): string {
  const path = routeOrPath.split('?')[0] ?? '';
  const templated = path
    .replace(/\/[0-9a-f]{40}(?=\/|$)/gi, '/{sha}')
    .replace(/(?<!\/api)\/[0-9]+(?=\/|$)/g, '/{id}') // not the API version of /rest/api/3
    .replace(/\/[A-Z][A-Z0-9_]+-[0-9]+(?=\/|$)/g, '/{key}');
  return `${method.toUpperCase()} ${templated}`;
}

/** A fetch that counts requests to a service by endpoint family and status, with latency and 429 waits. */
export function instrumentedFetch(metrics: AppMetrics, service: OutboundService, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const endpoint = endpointFamily(init?.method ?? (input instanceof Request ? input.method : 'GET'), url.pathname);
    const stop = metrics.outboundSeconds.startTimer({ service, endpoint });
    try {
      const response = await inner(input, init);
      metrics.outboundRequests.inc({ service, endpoint, status: String(response.status) });
      if (response.status === 429) metrics.rateLimitWaits.inc({ service, kind: 'http-429' });
      return response;
    } catch (error) {
      metrics.outboundRequests.inc({ service, endpoint, status: 'error' });
      throw error;
    } finally {
      stop();
    }
  };
}

/** The store, counting every stored evaluation by kind and outcome, with its duration (from `evaluatedAt`). */
export function countingEvaluations<S extends { saveReport(report: { kind: string; state: string; evaluatedAt: string }): Promise<number> }>(
  store: S,
  metrics: AppMetrics,
  now: () => number = Date.now,
): S {
  return {
    ...store,
    async saveReport(report) {
      const id = await store.saveReport(report);
      metrics.evaluations.inc({ kind: report.kind, outcome: report.state });
      const started = Date.parse(report.evaluatedAt);
      if (!Number.isNaN(started)) metrics.evaluationSeconds.observe({ kind: report.kind }, Math.max(0, now() - started) / 1000);
      return id;
    },
  };
}
