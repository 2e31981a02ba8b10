/**
 * What the logs must never contain, configured once for the app logger and everything derived from it — including
 * the request log of Probot's Server (pino-http, a child of the logger passed to `run(app, { log })`), whose
 * serializers replace ours for `req` and `res` but still go through the parent's `redact` and hooks:
 *
 * - secrets under known keys (token, password, privateKey, …) and HTTP credentials: request `cookie` and
 *   `authorization` headers, response `set-cookie` (the signed session cookie);
 * - query strings carrying sign-in secrets (`/login/callback?code=…&state=…`, the GitHub authorize redirect's
 *   `state`): in `req.url`, `res.headers.location`, `req.headers.referer`, and in message text (Probot's request
 *   log line is "GET <url> 302 - 5ms").
 */
import type { LoggerOptions } from 'pino';

export const REDACTED = '[redacted]';

/** Query parameters whose values are secrets, wherever a URL is logged. */
const SECRET_QUERY_PARAMS = ['code', 'state', 'token', 'access_token', 'refresh_token', 'client_secret', 'jwt', 'password'];
const SECRET_QUERY = new RegExp(`([?&](?:${SECRET_QUERY_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi');

/** Paths censored entirely. */
export const REDACTED_PATHS = [
  'token',
  'apiToken',
  'pat',
  'password',
  'secret',
  'clientSecret',
  'signingSecret',
  'privateKey',
  'authorization',
  '*.token',
  '*.apiToken',
  '*.pat',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.signingSecret',
  '*.privateKey',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.request.headers.authorization',
  'err.request.headers.authorization',
  'err.response.headers["set-cookie"]',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

/** Paths holding a URL: kept, with the values of secret query parameters censored. */
const URL_PATHS = ['req.url', 'req.headers.referer', 'res.headers.location'];

/** `url` with the values of secret query parameters (code, state, tokens) replaced by [redacted]. */
export function redactUrlSecrets(text: string): string {
  return text.replace(SECRET_QUERY, `$1${REDACTED}`);
}

const urlPaths = new Set(URL_PATHS);

/** The pino options that apply the redaction: spread them into the logger's options. */
export const logRedaction = {
  redact: {
    paths: [...REDACTED_PATHS, ...URL_PATHS],
    censor: (value: unknown, path: string[]) => (urlPaths.has(path.join('.')) && typeof value === 'string' ? redactUrlSecrets(value) : REDACTED),
  },
  hooks: {
    // Message text: Probot's request log line names the URL, query string included.
    logMethod(args, method) {
      method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactUrlSecrets(arg) : arg)) as Parameters<typeof method>);
    },
  },
} satisfies Pick<LoggerOptions, 'redact' | 'hooks'>;
