/**
 * How the web pages authenticate visitors, from the environment. Pure: the caller passes the env.
 *
 * - WEB_AUTH=github (the default whenever GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set): GitHub sign-in;
 *   needs GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and SESSION_SECRET (at least 32 characters).
 * - WEB_AUTH=off: everything visible to everyone who reaches the server; for local use only.
 * - Neither WEB_AUTH nor the client id/secret set: off when PUBLIC_URL is unset or names this machine
 *   (localhost, 127.0.0.1, [::1]); otherwise a configuration error, so that a server reachable by others never
 *   publishes its reports just because sign-in was forgotten (set WEB_AUTH=off to mean it).
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

/** True when PUBLIC_URL is unset or points at this machine. */
function isLocalPublicUrl(publicUrl: string | undefined): boolean {
  const value = publicUrl?.trim() ?? '';
  if (value === '') return true;
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(value).hostname);
  } catch {
    return false;
  }
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
    if (isLocalPublicUrl(env['PUBLIC_URL'])) return { mode: 'off' };
    throw new WebAuthConfigError(
      'The report pages need sign-in: set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and SESSION_SECRET (GitHub sign-in), or WEB_AUTH=off to show them to everyone',
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
  return auth.mode === 'off'
    ? 'WEB_AUTH=off: the report pages are visible to anyone who can reach this server, without sign-in. Use only locally.'
    : null;
}
