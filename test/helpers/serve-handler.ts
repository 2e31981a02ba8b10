/** Serves one `(req, res) => Promise<boolean>` handler on 127.0.0.1 (404 when it declines), for route tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export async function serveHandler(handler: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>, servers: Server[]): Promise<string> {
  const server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
