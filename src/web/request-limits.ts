/**
 * Request body limits, enforced before any parsing or signature work, for every POST the server takes. The one
 * place the limits are set and counted:
 * - a declared Content-Length past the limit is refused before one byte is read;
 * - otherwise (also for chunked bodies) bytes are counted as they arrive and reading stops at the first byte past
 *   the limit. The caller answers 413 with refuseTooLarge, which closes the connection once the answer is out, so
 *   the rest of the body is never read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const BODY_LIMITS = {
  /** GitHub's own cap on webhook payloads. */
  githubWebhook: 25 * 1024 * 1024,
  jiraWebhook: 1024 * 1024,
  /** HTML forms (re-check, sign-out). */
  form: 16 * 1024,
} as const;

export type LimitedBody = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason: 'too-large' | 'aborted' };

/** The declared Content-Length, or null when there is none (chunked). Node's parser already refused malformed ones. */
function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  const value = Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : Number.POSITIVE_INFINITY;
}

export function readLimitedBody(req: IncomingMessage, limit: number): Promise<LimitedBody> {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: LimitedBody): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      if (!result.ok) {
        chunks.length = 0;
        req.pause();
      }
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish({ ok: false, reason: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onAbort = (): void => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

/**
 * Answers a too-large body with 413 (`send` writes the response) and closes the connection once the answer has
 * been handed to the socket, so the remainder of the body is never read.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, send: () => void): void {
  res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroy());
  send();
}
