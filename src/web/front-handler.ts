/**
 * The handler that runs before every other one, Probot's included: it sets the security headers on every response
 * (so /, /ping, Probot's 404s and the webhook path carry them too) and enforces the body limit of GitHub webhooks
 * before Probot reads or verifies anything.
 *
 * Why it wraps `app.getNodeMiddleware` instead of using `addHandler`: Probot 14's Server puts its webhook
 * middleware first (server.js start(): handlers.unshift(await probot.getNodeMiddleware())), then /ping and its
 * static files, and only then the handlers added with addHandler. The Server calls getNodeMiddleware on the Probot
 * instance handed to the app function, after the app function ran; wrapping it there is the one hook that runs
 * before Probot's handlers.
 *
 * The webhook body: the front handler reads it (up to BODY_LIMITS.githubWebhook, 413 past it) and hands it on as
 * `req.body` (a string), which @octokit/webhooks' Node middleware uses instead of reading the stream again
 * (middleware/node/get-payload.js), so the signature is checked over exactly the bytes counted here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Probot } from 'probot';
import { BODY_LIMITS, readLimitedBody, refuseTooLarge } from './request-limits.js';
import { setSecurityHeaders } from './security-headers.js';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface FrontHandlerOptions {
  readonly publicUrl: string;
  /** Probot's webhook path (WEBHOOK_PATH, default /api/github/webhooks). */
  readonly webhookPath: string;
  readonly logger: Logger;
  readonly maxWebhookBodyBytes?: number;
}

/** Like @octokit/webhooks: trailing slashes do not count. */
function withoutTrailingSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Returns true when it answered (a refused webhook body), false to let the next handler run. */
export function createFrontHandler(options: FrontHandlerOptions): NodeHandler {
  const https = new URL(options.publicUrl).protocol === 'https:';
  const webhookPath = withoutTrailingSlashes(options.webhookPath);
  const limit = options.maxWebhookBodyBytes ?? BODY_LIMITS.githubWebhook;
  const log = options.logger.child({ component: 'web-front' });
  const decoder = new TextDecoder('utf-8', { fatal: false });

  return async (req, res) => {
    setSecurityHeaders(res, { https });
    if (req.method !== 'POST') return false;
    let path: string;
    try {
      path = withoutTrailingSlashes(new URL(req.url ?? '/', 'http://front.invalid').pathname);
    } catch {
      return false;
    }
    if (path !== webhookPath) return false;
    const body = await readLimitedBody(req, limit);
    if (body.ok) {
      (req as IncomingMessage & { body?: string }).body = decoder.decode(body.body);
      return false;
    }
    const delivery = req.headers['x-github-delivery'];
    if (body.reason === 'aborted') {
      log.info({ delivery }, 'webhook delivery aborted by the client');
      res.destroy();
      return true;
    }
    log.warn({ delivery, contentLength: req.headers['content-length'] ?? null, limit }, 'webhook body too large: refused');
    refuseTooLarge(req, res, () => {
      const text = JSON.stringify({ error: `body larger than ${limit} bytes` });
      res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
    });
    return true;
  };
}

type WebhookNext = Parameters<Awaited<ReturnType<Probot['getNodeMiddleware']>>>[2];

/** Makes `front` run before every Probot handler (see the file comment). Call it from the app function. */
export function runBeforeProbotHandlers(app: Probot, front: NodeHandler): void {
  const original = app.getNodeMiddleware.bind(app);
  app.getNodeMiddleware = async (...args: Parameters<Probot['getNodeMiddleware']>) => {
    const webhooks = await original(...args);
    return async (req: IncomingMessage, res: ServerResponse, next?: WebhookNext) => (await front(req, res)) || webhooks(req, res, next);
  };
}
