/**
 * HTTP transport to JIRA: base URL, auth, timeout, bounded retries with backoff (429 honours Retry-After), JSON.
 * It implements jira.js's `Client` interface, so the Cloud client of jira.js (`createCloudClient(transport)`)
 * uses it, and Data Center calls (/rest/api/2, Bearer PAT) go through the same code.
 */
import type { Logger } from 'pino';
import type { Client, SendRequestOptions } from 'jira.js/core';

export type JiraAuth =
  | { readonly kind: 'cloud'; readonly email: string; readonly apiToken: string }
  | { readonly kind: 'datacenter'; readonly pat: string };

export interface JiraTransportOptions {
  readonly baseUrl: string;
  readonly auth: JiraAuth;
  readonly logger: Logger;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Total attempts for transient failures (network, timeout, 429, 5xx). */
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
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
}

export interface JiraTransport extends Client {
  readonly baseUrl: string;
  readonly flavor: JiraAuth['kind'];
  request<T = unknown>(req: JiraRequest): Promise<T>;
}

const TRANSIENT: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

function authorization(auth: JiraAuth): string {
  return auth.kind === 'cloud'
    ? `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString('base64')}`
    : `Bearer ${auth.pat}`;
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
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const auth = authorization(options.auth);

  async function request<T>(req: JiraRequest): Promise<T> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url.startsWith('/') ? req.url : `/${req.url}`;
    const url = buildUrl(baseUrl, path, req.searchParams);
    for (let attempt = 1; ; attempt++) {
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
        options.logger.warn({ method, path, attempt, detail }, 'JIRA request failed');
        if (attempt < maxAttempts) {
          await sleep(retryBaseMs * 2 ** (attempt - 1));
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
      if (TRANSIENT.has(response.status) && attempt < maxAttempts) {
        const retryAfter = Number(response.headers.get('retry-after'));
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : retryBaseMs * 2 ** (attempt - 1);
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
