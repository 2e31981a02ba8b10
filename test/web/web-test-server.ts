/**
 * Starts the web handler on a real HTTP server on 127.0.0.1 (ephemeral port). Paths the handler does not own get
 * a plain 404 "not ours" from the server itself, so tests can see that the handler returned false.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createWebHandler, type WebHandler, type WebHandlerDeps } from '../../src/web/web-handler.js';

export interface RunningWebServer {
  readonly baseUrl: string;
  readonly handler: WebHandler;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: 'silent' });

export async function startWebServer(makeDeps: (baseUrl: string) => WebHandlerDeps): Promise<RunningWebServer> {
  let handler: WebHandler | null = null;
  const server: Server = createServer((req, res) => {
    const current = handler;
    if (!current) {
      res.writeHead(503).end();
      return;
    }
    current(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404, { 'content-type': 'text/plain' }).end('not ours');
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`handler threw: ${String(err)}`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  handler = createWebHandler(makeDeps(baseUrl));
  return {
    baseUrl,
    handler,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
