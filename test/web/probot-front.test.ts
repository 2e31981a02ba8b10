/**
 * The front handler inside the real Probot server (test/helpers/app-harness.ts runs the app as `npm start` does):
 * security headers on Probot's own routes, and the GitHub webhook body limit enforced before Probot reads the body.
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY } from '../../src/web/security-headers.js';

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.stop();
  harness = null;
});

function expectSecurityHeaders(res: Response): void {
  expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  // The harness's PUBLIC_URL is https.
  expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
}

/** A POST of `total` bytes from one reused 1 MiB buffer (so the client side holds no copy), with or without Content-Length. */
function postHuge(url: string, total: number, declareLength: boolean): Promise<{ status: number; body: string; sent: number }> {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let sent = 0;
  const source = new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'huge-1',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
        ...(declareLength ? { 'content-length': String(total) } : {}),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (body += part));
      res.on('end', () => {
        source.unpipe(req);
        source.destroy();
        resolve({ status: res.statusCode ?? 0, body, sent });
      });
    });
    // The server closes the connection after its 413 while the client may still be sending: expected.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    source.pipe(req);
  });
}

describe('Probot routes through the front handler', () => {
  it('sends the security headers on /ping, on 404s and on the webhook path', async () => {
    harness = await startHarness();
    const ping = await fetch(`${harness.baseUrl}/ping`);
    expect(await ping.text()).toBe('PONG');
    expectSecurityHeaders(ping);
    for (const path of ['/', '/no-such-page']) {
      const res = await fetch(`${harness.baseUrl}${path}`);
      expect(res.status).toBe(404);
      expectSecurityHeaders(res);
    }
    const webhookGet = await fetch(`${harness.baseUrl}/api/github/webhooks`);
    expect(webhookGet.status).toBe(404);
    expectSecurityHeaders(webhookGet);
    expect(STRICT_TRANSPORT_SECURITY).toContain('includeSubDomains');
  });

  it('still hands a normal webhook to Probot (the body it counted is the body Probot verifies)', async () => {
    harness = await startHarness();
    expect(await harness.deliver('ping', { zen: 'Keep it logically awesome.', hook_id: 1 })).toBe(200);
    expect(await harness.deliver('ping', { zen: 'forged' }, { signature: `sha256=${'0'.repeat(64)}` })).toBe(400);
  });

  it('refuses a 400 MB webhook with a declared length at once: 413, and the process barely grows', async () => {
    harness = await startHarness();
    const before = process.memoryUsage().rss;
    const res = await postHuge(`${harness.baseUrl}/api/github/webhooks`, 400 * 1024 * 1024, true);
    const grown = process.memoryUsage().rss - before;
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: 'body larger than 26214400 bytes' });
    expect(grown).toBeLessThan(20 * 1024 * 1024);
  });

  it('stops reading a chunked 400 MB webhook at the 25 MB cap: 413, far fewer bytes read than sent', async () => {
    harness = await startHarness();
    const before = process.memoryUsage().rss;
    const res = await postHuge(`${harness.baseUrl}/api/github/webhooks`, 400 * 1024 * 1024, false);
    const grown = process.memoryUsage().rss - before;
    expect(res.status).toBe(413);
    // The client stopped long before 400 MB (what it pushed includes socket buffers on both sides).
    expect(res.sent).toBeLessThan(100 * 1024 * 1024);
    // At most the 25 MB cap is held while counting, never the whole body. The sender runs in this same process
    // (its chunks and socket buffers count too, and GC timing varies: 22 MB to 48 MB measured), so the bound is
    // generous — and still far below the 400 MB the body would cost if it were read whole.
    expect(grown).toBeLessThan(25 * 1024 * 1024 + 40 * 1024 * 1024);
  });
});
