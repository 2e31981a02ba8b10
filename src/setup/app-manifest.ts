/**
 * The GitHub App manifest for the setup flow (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest).
 * Pure: app.yml's content (permissions, events, name…) plus the URLs this server is reached at. The webhook and
 * the OAuth callback come from PUBLIC_URL when it is set (they must be reachable by GitHub and by visitors), else
 * from the address the operator opened the setup page at; `redirect_url` (where GitHub sends the operator back
 * with the registration code) is always that address.
 */
import { z } from 'zod';

const appYmlSchema = z
  .object({
    name: z.string().min(1).default('deploy-checker'),
    description: z.string().optional(),
    url: z.string().optional(),
    public: z.boolean().default(false),
    default_events: z.array(z.string()).default([]),
    default_permissions: z.record(z.string(), z.string()).default({}),
    request_oauth_on_install: z.boolean().default(false),
  })
  .loose();

export type AppManifest = Readonly<{
  name: string;
  description?: string;
  url: string;
  public: boolean;
  hook_attributes: { url: string; active: boolean };
  redirect_url: string;
  callback_urls: readonly string[];
  request_oauth_on_install: boolean;
  default_events: readonly string[];
  default_permissions: Readonly<Record<string, string>>;
}>;

export interface ManifestUrls {
  /** PUBLIC_URL without a trailing slash, or null. */
  readonly publicUrl: string | null;
  /** Origin of the setup page as the operator's browser reached it, e.g. http://localhost:3000. */
  readonly requestOrigin: string;
  readonly webhookPath: string;
  /** Path GitHub redirects to with `?code=`. */
  readonly redirectPath: string;
}

export function buildAppManifest(appYml: unknown, urls: ManifestUrls, appName?: string): AppManifest {
  const parsed = appYmlSchema.parse(appYml ?? {});
  const base = (urls.publicUrl ?? urls.requestOrigin).replace(/\/+$/, '');
  return {
    name: appName?.trim() || parsed.name,
    ...(parsed.description ? { description: parsed.description.trim() } : {}),
    url: parsed.url ?? base,
    public: parsed.public,
    hook_attributes: { url: `${base}${urls.webhookPath}`, active: true },
    redirect_url: `${urls.requestOrigin.replace(/\/+$/, '')}${urls.redirectPath}`,
    callback_urls: [`${base}/login/callback`],
    request_oauth_on_install: parsed.request_oauth_on_install,
    default_events: parsed.default_events,
    default_permissions: parsed.default_permissions,
  };
}
