/**
 * Setup mode (`npm start` before the GitHub App exists: no APP_ID / PRIVATE_KEY). Registers the App from app.yml
 * with GitHub's manifest flow, then writes its credentials into `.env`:
 *   GET /              → /setup
 *   GET /setup         → a page with a form that posts the manifest to GitHub (?org=… registers it for an organisation)
 *   GET /setup/callback?code=…&state=… → exchanges the one-time code (POST /app-manifests/{code}/conversions) and
 *                        writes APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and a
 *                        fresh SESSION_SECRET into `.env`; then asks to install the App and restart.
 * Nothing here needs sign-in settings, the store or JIRA: setup is never blocked by them. No secret is shown or
 * logged.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { html, type SafeHtml } from '../web/html.js';
import { renderMessagePage, STYLESHEET_CSP_HASH } from '../web/page-layout.js';
import { constantTimeEqual } from '../web/session-cookie.js';
import { buildAppManifest } from './app-manifest.js';

export const SETUP_CALLBACK_PATH = '/setup/callback';

const conversionSchema = z
  .object({
    id: z.number().int(),
    slug: z.string().optional(),
    name: z.string().optional(),
    html_url: z.string(),
    pem: z.string(),
    webhook_secret: z.string().nullable(),
    client_id: z.string(),
    client_secret: z.string(),
  })
  .loose();

export type AppCredentials = Readonly<Record<'APP_ID' | 'PRIVATE_KEY' | 'WEBHOOK_SECRET' | 'GITHUB_CLIENT_ID' | 'GITHUB_CLIENT_SECRET', string>> &
  Readonly<{ SESSION_SECRET?: string }>;

export interface SetupModeDeps {
  readonly githubWebUrl: string;
  readonly githubApiUrl: string;
  readonly publicUrl: string | null;
  readonly webhookPath: string;
  /** app.yml, parsed (permissions, events, name). */
  readonly appYml: unknown;
  /** True when SESSION_SECRET is already configured (then it is kept). */
  readonly hasSessionSecret: boolean;
  /** Persists the credentials (into .env). */
  saveCredentials(values: AppCredentials): void;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
}

const ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

function requestOrigin(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = typeof forwarded === 'string' && forwarded.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  const host = req.headers.host && /^[A-Za-z0-9.\-:[\]]+$/.test(req.headers.host) ? req.headers.host : 'localhost';
  return `${proto}://${host}`;
}

function send(res: ServerResponse, status: number, page: SafeHtml, formTarget: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src ${STYLESHEET_CSP_HASH}; form-action 'self' ${formTarget}; frame-ancestors 'none'; base-uri 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.end(page.html);
}

const context = { user: null, authEnabled: false } as const;

export function createSetupModeHandler(deps: SetupModeDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const log = deps.logger.child({ component: 'setup' });
  // One operator registers one App: a per-process state ties GitHub's redirect to this server's form.
  const state = randomBytes(24).toString('base64url');
  let registered: { htmlUrl: string; name: string } | null = null;

  const setupPage = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const org = url.searchParams.get('org')?.trim() ?? '';
    const appName = url.searchParams.get('name')?.trim().slice(0, 34) ?? '';
    if (org !== '' && !ORG.test(org)) {
      send(res, 400, renderMessagePage(context, 'Not an organisation name', html`<p><a href="/setup">Back</a></p>`), deps.githubWebUrl);
      return;
    }
    const manifest = buildAppManifest(
      deps.appYml,
      { publicUrl: deps.publicUrl, requestOrigin: requestOrigin(req), webhookPath: deps.webhookPath, redirectPath: SETUP_CALLBACK_PATH },
      appName,
    );
    const target = org
      ? `${deps.githubWebUrl}/organizations/${encodeURIComponent(org)}/settings/apps/new?state=${state}`
      : `${deps.githubWebUrl}/settings/apps/new?state=${state}`;
    const body = html`
      <p>This server has no GitHub App yet. Register one from <code>app.yml</code>; GitHub sends you back here and
      the App's credentials are written to <code>.env</code>.</p>
      <dl>
        <dt>Webhook URL</dt><dd><code>${manifest.hook_attributes.url}</code></dd>
        <dt>Sign-in callback</dt><dd><code>${manifest.callback_urls[0] ?? ''}</code></dd>
      </dl>
      ${deps.publicUrl === null ? html`<p><strong>PUBLIC_URL is not set:</strong> the URLs above use the address you opened this page at. Set PUBLIC_URL to the address GitHub can reach, restart, and reload this page.</p>` : ''}
      <form method="get" action="/setup">
        <label>Organisation (empty: your own account) <input name="org" value="${org}" pattern="[A-Za-z0-9][A-Za-z0-9-]{0,38}"></label>
        <label>App name <input name="name" value="${appName || manifest.name}" maxlength="34"></label>
        <button type="submit">Update</button>
      </form>
      <form method="post" action="${target}">
        <input type="hidden" name="manifest" value="${JSON.stringify(manifest)}">
        <button type="submit">Register ${manifest.name} on ${org || 'your account'}</button>
      </form>`;
    send(res, 200, renderMessagePage(context, 'Set up deploy-checker', body), deps.githubWebUrl);
  };

  const callback = async (res: ServerResponse, url: URL): Promise<void> => {
    const code = url.searchParams.get('code') ?? '';
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(code) || !constantTimeEqual(url.searchParams.get('state') ?? '', state)) {
      send(
        res,
        400,
        renderMessagePage(context, 'Registration not recognised', html`<p>Start again from <a href="/setup">the setup page</a>.</p>`),
        deps.githubWebUrl,
      );
      return;
    }
    const response = await fetchFn(`${deps.githubApiUrl}/app-manifests/${code}/conversions`, {
      method: 'POST',
      headers: { Accept: 'application/vnd.github+json', 'User-Agent': 'deploy-checker-setup' },
      signal: AbortSignal.timeout(20_000),
    });
    if (!response.ok) {
      log.warn({ status: response.status }, 'GitHub refused the App manifest code');
      send(
        res,
        502,
        renderMessagePage(
          context,
          'GitHub did not finish the registration',
          html`<p>GitHub answered HTTP ${response.status}. Codes are valid for one hour and only once: <a href="/setup">start again</a>.</p>`,
        ),
        deps.githubWebUrl,
      );
      return;
    }
    const app = conversionSchema.parse(await response.json());
    deps.saveCredentials({
      APP_ID: String(app.id),
      PRIVATE_KEY: app.pem,
      WEBHOOK_SECRET: app.webhook_secret ?? '',
      GITHUB_CLIENT_ID: app.client_id,
      GITHUB_CLIENT_SECRET: app.client_secret,
      ...(deps.hasSessionSecret ? {} : { SESSION_SECRET: randomBytes(32).toString('hex') }),
    });
    registered = { htmlUrl: app.html_url, name: app.name ?? app.slug ?? 'deploy-checker' };
    log.info({ appId: app.id, app: registered.name }, 'GitHub App registered; credentials written to .env — restart the server');
    send(res, 200, successPage(registered), deps.githubWebUrl);
  };

  const successPage = (app: { htmlUrl: string; name: string }): SafeHtml =>
    renderMessagePage(
      context,
      `${app.name} is registered`,
      html`<ol>
        <li>Its credentials (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET and the sign-in client) are in <code>.env</code>.</li>
        <li><a href="${`${app.htmlUrl}/installations/new`}">Install it</a> on the repositories to check.</li>
        <li>Restart deploy-checker (it reads <code>.env</code> at start).</li>
      </ol>`,
    );

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://setup.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname === '/' || url.pathname === '/probot') {
      res.statusCode = 302;
      res.setHeader('Location', '/setup');
      res.end();
      return true;
    }
    if (url.pathname === '/setup') {
      if (registered) send(res, 200, successPage(registered), deps.githubWebUrl);
      else setupPage(req, res, url);
      return true;
    }
    if (url.pathname === SETUP_CALLBACK_PATH) {
      await callback(res, url);
      return true;
    }
    return false;
  };
}
