/**
 * The Octokit class Probot builds every client from (webhook contexts and `app.auth(installationId)` alike), with
 * metrics: requests by endpoint family (the route template, e.g. `GET /repos/{owner}/{repo}/compare/{basehead}`)
 * and status, latency, and rate-limit waits. The waits keep Probot's behaviour: log and retry.
 */
import { ProbotOctokit } from 'probot';
import type { AppMetrics } from './app-metrics.js';

export function createInstrumentedOctokit(metrics: AppMetrics): typeof ProbotOctokit {
  const requestMetrics = (octokit: {
    hook: { wrap: (name: 'request', fn: (request: (o: unknown) => Promise<unknown>, options: { method: string; url: string }) => Promise<unknown>) => void };
  }) => {
    octokit.hook.wrap('request', async (request, options) => {
      const endpoint = `${options.method} ${options.url.split('?')[0]}`;
      const stop = metrics.outboundSeconds.startTimer({ service: 'github', endpoint });
      try {
        const response = (await request(options)) as { status: number };
        metrics.outboundRequests.inc({ service: 'github', endpoint, status: String(response.status) });
        return response;
      } catch (error) {
        const status = (error as { status?: unknown }).status;
        metrics.outboundRequests.inc({ service: 'github', endpoint, status: typeof status === 'number' ? String(status) : 'error' });
        throw error;
      } finally {
        stop();
      }
    });
  };
  type Throttled = (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn: (msg: string) => void } }) => boolean;
  const onLimit =
    (kind: 'primary' | 'secondary'): Throttled =>
    (retryAfter, options, octokit) => {
      metrics.rateLimitWaits.inc({ service: 'github', kind });
      octokit.log.warn(`GitHub ${kind} rate limit hit with "${options.method} ${options.url}", retrying in ${retryAfter} seconds.`);
      return true;
    };
  return ProbotOctokit.plugin(requestMetrics as never).defaults({
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
  }) as unknown as typeof ProbotOctokit;
}
