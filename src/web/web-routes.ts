/**
 * The route table: every path the web handler owns, with its methods and handler. Paths are matched segment by
 * segment (`:name` takes one non-empty segment, a final `*` any rest); one trailing slash is ignored. A path that
 * matches a route but not its method gets 405; wildcard routes only apply when no exact route matches the path.
 */
import { jiraWebhookRoute } from './jira-webhook-route.js';
import { login, loginCallback, logout, logoutPage } from './github-sign-in.js';
import { createRecheckAction } from './recheck-action.js';
import { historyPage, notFoundPage, reportPage, repositoriesPage, shipmentsPage, ticketPage, ticketSearch } from './report-pages.js';
import type { RouteHandler } from './route-request.js';

export interface WebRoute {
  readonly methods: readonly string[];
  readonly path: string;
  readonly handle: RouteHandler;
}

const GET = ['GET', 'HEAD'] as const;
const POST = ['POST'] as const;

/** Built per handler: the re-check route keeps its in-flight runs in the handler's own map. */
export function webRoutes(): readonly WebRoute[] {
  return [
    { methods: POST, path: '/jira/webhook', handle: jiraWebhookRoute },
    { methods: GET, path: '/login', handle: login },
    { methods: GET, path: '/login/callback', handle: loginCallback },
    { methods: GET, path: '/logout', handle: logoutPage },
    { methods: POST, path: '/logout', handle: logout },
    { methods: GET, path: '/tickets', handle: ticketSearch },
    { methods: GET, path: '/tickets/:key', handle: ticketPage },
    { methods: GET, path: '/tickets/*', handle: notFoundPage },
    { methods: GET, path: '/shipments', handle: shipmentsPage },
    { methods: GET, path: '/shipments.json', handle: shipmentsPage },
    { methods: GET, path: '/deploys', handle: repositoriesPage },
    { methods: GET, path: '/deploys.json', handle: repositoriesPage },
    { methods: GET, path: '/deploys/:owner/:repo', handle: historyPage },
    { methods: GET, path: '/deploys/:owner/:repo/:sha', handle: reportPage },
    { methods: POST, path: '/deploys/:owner/:repo/:sha/recheck', handle: createRecheckAction(new Map()) },
    { methods: GET, path: '/deploys/*', handle: notFoundPage },
  ];
}

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: WebRoute; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] };

function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split('/').slice(1);
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    if (part === '*') return i < segments.length ? params : null;
    const segment = segments[i];
    if (segment === undefined) return null;
    if (part.startsWith(':')) {
      if (segment === '') return null;
      params[part.slice(1)] = segment;
    } else if (part !== segment) {
      return null;
    }
  }
  return parts.length === segments.length ? params : null;
}

/** The route for this method and path, 405 when only the method is wrong, null when the path is not ours. */
export function matchRoute(routes: readonly WebRoute[], method: string, pathname: string): RouteMatch | null {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const segments = path.split('/').slice(1);
  const matching = (wildcard: boolean) =>
    routes.flatMap((route) => {
      if (route.path.endsWith('*') !== wildcard) return [];
      const params = matchPath(route.path, segments);
      return params ? [{ route, params }] : [];
    });
  const exact = matching(false);
  const candidates = exact.length > 0 ? exact : matching(true);
  if (candidates.length === 0) return null;
  const hit = candidates.find((c) => c.route.methods.includes(method));
  if (hit) return { kind: 'route', route: hit.route, params: hit.params };
  return { kind: 'method-not-allowed', allow: [...new Set(candidates.flatMap((c) => c.route.methods))] };
}
