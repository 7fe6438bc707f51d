import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { ServerDeps } from '../graphql/context.js';
import { createGraphqlEndpoint } from './graphql.js';
import { readJsonBody } from './json-body.js';

/** A handler for one path prefix; it answers false when the request is not its business. */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export interface HttpServer {
  server: Server;
  url: string;
  openSubscriptions(): number;
  close(): Promise<void>;
}

/** One listener: /graphql (HTTP and WebSocket), /healthz, then the mounted routes (registry, metrics, console). */
export async function startHttpServer(
  deps: ServerDeps,
  routes: Route[],
  host: string,
  port: number,
): Promise<HttpServer> {
  const graphql = createGraphqlEndpoint(deps);
  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/graphql' || path.startsWith('/graphql/')) {
        if ((await readJsonBody(req)) === 'client-gone') return;
        return void (await graphql.yoga(req, res, { req }));
      }
      if (path === '/healthz') return void (await healthz(deps, res));
      for (const route of routes) if (await route(req, res)) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } catch (error) {
      deps.log.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal server error\n');
    }
  });
  server.keepAliveTimeout = 65_000;
  const ws = graphql.attachWebSocket(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`,
    openSubscriptions: ws.openSubscriptions,
    async close() {
      await ws.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Long-polls and idle keep-alive sockets must not hold shutdown hostage.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
    },
  };
}

async function healthz(deps: ServerDeps, res: ServerResponse) {
  try {
    await sql`SELECT 1`.execute(deps.db);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","database":"ok"}\n');
  } catch (error) {
    res
      .writeHead(503, { 'content-type': 'application/json' })
      .end(`${JSON.stringify({ status: 'unavailable', database: String((error as Error).message) })}\n`);
  }
}
