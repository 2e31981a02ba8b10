/**
 * HTTP plumbing for the web handler: security headers, HTML/JSON/redirect responses, bounded body reading and
 * content negotiation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SafeHtml } from './html.js';
import { STYLESHEET_CSP_HASH } from './page-layout.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${STYLESHEET_CSP_HASH}`,
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers every response of the web pages carries. */
export function setSecurityHeaders(res: ServerResponse, options: { https: boolean }): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
  if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

function send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string): void {
  const buffer = Buffer.from(body, 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', buffer.length);
  res.end(req.method === 'HEAD' ? undefined : buffer);
}

export function sendHtml(req: IncomingMessage, res: ServerResponse, status: number, page: SafeHtml): void {
  send(req, res, status, 'text/html; charset=utf-8', page.html);
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  send(req, res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

export function redirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.statusCode = status;
  res.setHeader('Location', location);
  res.setHeader('Content-Length', 0);
  res.end();
}

/** True when the Accept header ranks application/json above text/html (wildcards favour HTML). */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  let json = 0;
  let htmlQ = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    let q = 1;
    for (const param of params) {
      const [name, value] = param.trim().split('=');
      if (name === 'q' && value !== undefined) {
        const parsed = Number.parseFloat(value);
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    if (type.trim() === 'application/json') json = Math.max(json, q);
    if (type.trim() === 'text/html') htmlQ = Math.max(htmlQ, q);
  }
  return json > 0 && json > htmlQ;
}

export type BodyResult = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason: 'too-large' };

/**
 * Reads the request body up to `limit` bytes. A larger body is drained (up to `drainLimit` bytes, so that the
 * client can read the 413) and reported as too large; beyond `drainLimit` the connection is dropped.
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit = limit * 8): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    if (Number.isFinite(declared) && declared > drainLimit) {
      resolve({ ok: false, reason: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainLimit) {
        req.destroy();
        return;
      }
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { ok: false, reason: 'too-large' } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('close', () => {
      if (size > drainLimit) resolve({ ok: false, reason: 'too-large' });
    });
    req.on('error', reject);
  });
}
