/**
 * How the web pages authenticate visitors, from the environment. Pure: the caller passes the env.
 *
 * - WEB_AUTH=github (the default whenever GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set): GitHub sign-in;
 *   needs GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and SESSION_SECRET (at least 32 characters).
 * - WEB_AUTH=off: everything visible to everyone who reaches the server; for local use only.
 * - Neither WEB_AUTH nor the client id/secret set: off only when the server listens on loopback (HOST unset or
 *   empty — Probot then listens on "localhost" —, localhost, 127.x.x.x, ::1); on any other HOST (0.0.0.0, ::, an
 *   interface address or name) a configuration error naming WEB_AUTH, so that a server reachable by others never
 *   publishes its reports just because sign-in was forgotten (set WEB_AUTH=off to mean it). PUBLIC_URL plays no
 *   part: it says how others reach the server, not who can.
 * GitHub Enterprise Server: GHE_HOST (and GHE_PROTOCOL, default https), as Probot reads them.
 */

export type WebAuthConfig =
  | {
      readonly mode: 'github';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly sessionSecret: string;
      readonly githubWebUrl: string;
      readonly githubApiUrl: string;
    }
  | { readonly mode: 'off' };

export class WebAuthConfigError extends Error {
  override readonly name = 'WebAuthConfigError';
}

export const MIN_SESSION_SECRET_LENGTH = 32;

/**
 * True when a server listening on HOST is reachable from this machine only. Unset or empty HOST is loopback:
 * Probot's run() and Server both default the host to "localhost" (probot/lib/run.js, lib/server/server.js).
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const value = (host ?? '')
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (value === '' || value === 'localhost' || value === '::1') return true;
  return /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(value);
}

export function webAuthFromEnv(env: Readonly<Record<string, string | undefined>>): WebAuthConfig {
  const mode = env['WEB_AUTH']?.trim().toLowerCase() || null;
  const clientId = env['GITHUB_CLIENT_ID']?.trim() || null;
  const clientSecret = env['GITHUB_CLIENT_SECRET']?.trim() || null;
  if (mode === 'off') return { mode: 'off' };
  if (mode !== null && mode !== 'github') {
    throw new WebAuthConfigError(`WEB_AUTH must be "github" or "off", not "${env['WEB_AUTH']}"`);
  }
  if (mode === null && (clientId === null || clientSecret === null)) {
    if (isLoopbackHost(env['HOST'])) return { mode: 'off' };
    throw new WebAuthConfigError(
      `HOST=${env['HOST']?.trim()} lets other machines reach the report pages: set WEB_AUTH=off to show them to everyone, or GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and SESSION_SECRET for GitHub sign-in`,
    );
  }
  const missing = [
    clientId === null ? 'GITHUB_CLIENT_ID' : null,
    clientSecret === null ? 'GITHUB_CLIENT_SECRET' : null,
    env['SESSION_SECRET'] ? null : 'SESSION_SECRET',
  ].filter((name): name is string => name !== null);
  if (missing.length > 0) throw new WebAuthConfigError(`WEB_AUTH=github needs ${missing.join(', ')}`);
  const sessionSecret = env['SESSION_SECRET'] ?? '';
  if (sessionSecret.length < MIN_SESSION_SECRET_LENGTH) {
    throw new WebAuthConfigError(`SESSION_SECRET must be at least ${MIN_SESSION_SECRET_LENGTH} characters (e.g. openssl rand -hex 32)`);
  }
  return {
    mode: 'github',
    clientId: clientId ?? '',
    clientSecret: clientSecret ?? '',
    sessionSecret,
    ...githubUrlsFromEnv(env),
  };
}

/** GitHub's web and API base URLs: github.com, or GitHub Enterprise Server via GHE_HOST / GHE_PROTOCOL as Probot reads them. */
export function githubUrlsFromEnv(env: Readonly<Record<string, string | undefined>>): { githubWebUrl: string; githubApiUrl: string } {
  const gheHost = env['GHE_HOST']?.trim() || null;
  const protocol = env['GHE_PROTOCOL']?.trim() || 'https';
  return {
    githubWebUrl: gheHost ? `${protocol}://${gheHost}` : 'https://github.com',
    githubApiUrl: gheHost ? `${protocol}://${gheHost}/api/v3` : 'https://api.github.com',
  };
}

/** The warning to log at start, or null when visitors must sign in. */
export function webAuthWarning(auth: WebAuthConfig): string | null {
  return auth.mode === 'off' ? 'WEB_AUTH=off: the report pages are visible to anyone who can reach this server, without sign-in. Use only locally.' : null;
}
