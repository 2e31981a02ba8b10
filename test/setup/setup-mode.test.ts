import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { serveHandler } from '../helpers/serve-handler.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAppManifest } from '../../src/setup/app-manifest.js';
import { createSetupModeHandler } from '../../src/setup/setup-mode-handler.js';
import { updateEnvFile, updateEnvText } from '../../src/setup/update-env-file.js';

const appYml = { name: 'deploy-checker', default_events: ['push'], default_permissions: { statuses: 'write' } };

describe('the App manifest', () => {
  it('takes the webhook and sign-in callback from PUBLIC_URL, the redirect from the page address', () => {
    const manifest = buildAppManifest(appYml, {
      publicUrl: 'https://checker.acme.test/',
      requestOrigin: 'http://localhost:3000',
      webhookPath: '/api/github/webhooks',
      redirectPath: '/setup/callback',
    });
    expect(manifest.hook_attributes.url).toBe('https://checker.acme.test/api/github/webhooks');
    expect(manifest.callback_urls).toEqual(['https://checker.acme.test/login/callback']);
    expect(manifest.redirect_url).toBe('http://localhost:3000/setup/callback');
    expect(manifest.default_permissions).toEqual({ statuses: 'write' });
    expect(JSON.stringify(manifest)).not.toContain('example.invalid');
  });

  it('without PUBLIC_URL uses the page address, with the configured webhook path', () => {
    const manifest = buildAppManifest(
      appYml,
      { publicUrl: null, requestOrigin: 'http://10.0.0.5:8080', webhookPath: '/hooks', redirectPath: '/setup/callback' },
      'acme-deploys',
    );
    expect(manifest.hook_attributes.url).toBe('http://10.0.0.5:8080/hooks');
    expect(manifest.name).toBe('acme-deploys');
  });

  it('the repository app.yml carries no placeholder URLs', () => {
    expect(readFileSync('app.yml', 'utf8')).not.toContain('example.invalid');
  });
});

describe('.env updates', () => {
  it('replaces keys in place, keeps other lines, appends new ones; PEMs round-trip through parseEnv', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nabc\ndef\n-----END PRIVATE KEY-----\n';
    const text = updateEnvText('# mine\nPORT=4000\nAPP_ID=\n', { APP_ID: '42', PRIVATE_KEY: pem });
    expect(text.startsWith('# mine\nPORT=4000\nAPP_ID="42"\n')).toBe(true);
    expect(parseEnv(text)).toMatchObject({ PORT: '4000', APP_ID: '42', PRIVATE_KEY: pem });
  });

  it('writes the file readable by its owner only', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dc-setup-')), '.env');
    updateEnvFile(file, { APP_ID: '1' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('setup mode', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  async function start(fetchImpl: typeof fetch, saved: Record<string, string>[]) {
    const handler = createSetupModeHandler({
      githubWebUrl: 'https://github.test',
      githubApiUrl: 'https://api.github.test',
      publicUrl: 'https://checker.acme.test',
      webhookPath: '/api/github/webhooks',
      appYml,
      hasSessionSecret: false,
      saveCredentials: (values) => saved.push({ ...values }),
      logger: pino({ level: 'silent' }),
      fetch: fetchImpl,
    });
    return serveHandler(handler, servers);
  }

  it('registers the App: the form posts the manifest to GitHub, the callback writes the credentials', async () => {
    const saved: Record<string, string>[] = [];
    const calls: string[] = [];
    const fakeFetch = (async (url: string | URL, init?: RequestInit) => {
      calls.push(`${init?.method} ${String(url)}`);
      return new Response(
        JSON.stringify({
          id: 99,
          slug: 'deploy-checker',
          html_url: 'https://github.test/apps/deploy-checker',
          pem: 'PEM',
          webhook_secret: 'whsec',
          client_id: 'Iv1.x',
          client_secret: 'csec',
        }),
        { status: 201, headers: { 'content-type': 'application/json' } },
      );
    }) as typeof fetch;
    const base = await start(fakeFetch, saved);
    expect((await fetch(`${base}/`, { redirect: 'manual' })).headers.get('location')).toBe('/setup');
    const page = await (await fetch(`${base}/setup?org=acme`)).text();
    const state = /settings\/apps\/new\?state=([A-Za-z0-9_-]+)/.exec(page)?.[1];
    expect(page).toContain('action="https://github.test/organizations/acme/settings/apps/new?state=');
    expect(page).toContain('https://checker.acme.test/api/github/webhooks');
    expect(state).toBeDefined();

    const refused = await fetch(`${base}/setup/callback?code=abc&state=forged`);
    expect(refused.status).toBe(400);
    expect(saved).toEqual([]);

    const done = await fetch(`${base}/setup/callback?code=abc&state=${state}`);
    const body = await done.text();
    expect(done.status).toBe(200);
    expect(calls).toEqual(['POST https://api.github.test/app-manifests/abc/conversions']);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ APP_ID: '99', PRIVATE_KEY: 'PEM', WEBHOOK_SECRET: 'whsec', GITHUB_CLIENT_ID: 'Iv1.x', GITHUB_CLIENT_SECRET: 'csec' });
    expect(saved[0]!['SESSION_SECRET']).toMatch(/^[0-9a-f]{64}$/);
    expect(body).toContain('https://github.test/apps/deploy-checker/installations/new');
    for (const secret of ['PEM', 'whsec', 'csec']) expect(body).not.toContain(secret);
  });

  it('refuses an organisation name that is not one', async () => {
    const base = await start(globalThis.fetch, []);
    expect((await fetch(`${base}/setup?org=${encodeURIComponent('"><script>')}`)).status).toBe(400);
  });
});
