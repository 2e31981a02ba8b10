/**
 * HTTP plumbing for the web handler: HTML/JSON/redirect responses and content negotiation. Security headers are in
 * security-headers.ts, body limits in request-limits.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SafeHtml } from './html.js';

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
