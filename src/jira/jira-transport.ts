/**
 * HTTP transport to JIRA: base URL, auth, timeout, bounded retries with jittered exponential backoff (Retry-After
 * honoured, in seconds or as an HTTP date, capped), JSON. Only idempotent requests are retried after a timeout, a
 * network error or a 5xx: GET/HEAD, and POSTs that are reads (JQL search, bulkfetch) marked `idempotent: true` by
 * the caller. A write (comment, transition) may have been applied when JIRA did not answer, so it is sent again
 * only after a 429, which says JIRA refused it unprocessed.
 * It implements jira.js's `Client` interface, so the Cloud client of jira.js (`createCloudClient(transport)`)
 * uses it, and Data Center calls (/rest/api/2, Bearer PAT) go through the same code.
 */
import type { Logger } from 'pino';
import type { Client, SendRequestOptions } from 'jira.js/core';

export type JiraAuth = { readonly kind: 'cloud'; readonly email: string; readonly apiToken: string } | { readonly kind: 'datacenter'; readonly pat: string };

export interface JiraTransportOptions {
  readonly baseUrl: string;
  readonly auth: JiraAuth;
  readonly logger: Logger;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Total attempts for transient failures (network, timeout, 429, 5xx; see the header for which requests). */
  readonly maxAttempts?: number;
  /** Backoff before the second attempt; it doubles per attempt up to `retryMaxMs`, half of it jittered. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Longest wait a Retry-After header can impose. */
  readonly retryAfterCapMs?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter. */
  readonly random?: () => number;
  /** Epoch ms: to read a Retry-After given as an HTTP date. */
  readonly now?: () => number;
}

export class JiraHttpError extends Error {
  constructor(
    readonly status: number | null,
    readonly method: string,
    readonly path: string,
    readonly detail: string,
  ) {
    super(status === null ? `JIRA did not answer ${method} ${path}: ${detail}` : `JIRA answered HTTP ${status} to ${method} ${path}`);
    this.name = 'JiraHttpError';
  }
}

export interface JiraRequest {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly searchParams?: Record<string, unknown>;
  /**
   * Sending it twice has the effect of sending it once. GET and HEAD are; a POST is only when its caller says so
   * (JQL search, bulkfetch): writes are never retried after a timeout, a network error or a 5xx.
   */
  readonly idempotent?: boolean;
}

export interface JiraTransport extends Client {
  readonly baseUrl: string;
  readonly flavor: JiraAuth['kind'];
  request<T = unknown>(req: JiraRequest): Promise<T>;
}

const TRANSIENT: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Retry-After (RFC 9110: delay-seconds or an HTTP date) in ms from `nowMs`, or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** The wait before attempt `attempt + 1`: exponential from `baseMs`, capped at `maxMs`, its upper half jittered. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function authorization(auth: JiraAuth): string {
  return auth.kind === 'cloud' ? `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString('base64')}` : `Bearer ${auth.pat}`;
}

function buildUrl(baseUrl: string, path: string, searchParams?: Record<string, unknown>): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(searchParams ?? {})) {
    if (v === undefined || v === null) continue;
    url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return url.toString();
}

export function createJiraTransport(options: JiraTransportOptions): JiraTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryMaxMs = options.retryMaxMs ?? 8_000;
  const retryAfterCapMs = options.retryAfterCapMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const auth = authorization(options.auth);

  async function request<T>(req: JiraRequest): Promise<T> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url.startsWith('/') ? req.url : `/${req.url}`;
    const url = buildUrl(baseUrl, path, req.searchParams);
    const idempotent = method === 'GET' || method === 'HEAD' || req.idempotent === true;
    for (let attempt = 1; ; attempt++) {
      const backoff = () => backoffMs(attempt, retryBaseMs, retryMaxMs, random);
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers: {
            Accept: 'application/json',
            ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...req.headers,
            Authorization: auth,
          },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const timedOut = (error as { name?: string }).name === 'TimeoutError';
        const detail = timedOut ? `timed out after ${timeoutMs} ms` : 'network error';
        const retry = idempotent && attempt < maxAttempts;
        options.logger.warn({ method, path, attempt, detail, retry }, 'JIRA request failed');
        if (retry) {
          await sleep(backoff());
          continue;
        }
        throw new JiraHttpError(null, method, path, detail);
      }
      if (response.ok) {
        if (response.status === 204) return undefined as T;
        const text = await response.text();
        if (!text) return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new JiraHttpError(response.status, method, path, 'response is not JSON');
        }
      }
      const body = await response.text().catch(() => '');
      // A 429 was refused before processing: safe to send again, even a write.
      const retryable = TRANSIENT.has(response.status) && (idempotent || response.status === 429);
      if (retryable && attempt < maxAttempts) {
        const asked = response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers.get('retry-after'), now()) : null;
        const wait = asked === null ? backoff() : Math.min(asked, retryAfterCapMs);
        options.logger.warn({ method, path, status: response.status, attempt, wait }, 'JIRA request will be retried');
        await sleep(wait);
        continue;
      }
      throw new JiraHttpError(response.status, method, path, body.slice(0, 300));
    }
  }

  return {
    baseUrl,
    flavor: options.auth.kind,
    request,
    // jira.js passes a response schema too; we parse responses ourselves where we use them.
    sendRequest: <T>(opts: SendRequestOptions<T>) => request<T>(opts),
  };
}
