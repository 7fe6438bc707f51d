import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerDeps } from '../graphql/context.js';
import { createGraphqlEndpoint } from './graphql.js';
import { createHealthCheck } from './health.js';

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
  databaseUrl: string,
): Promise<HttpServer> {
  const graphql = createGraphqlEndpoint(deps);
  const health = createHealthCheck(databaseUrl);
  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0];
      // First: a health probe must not wait for a request body or the routes' work.
      if (path === '/healthz') return void (await health.answer(res));
      if (path === '/graphql' || path.startsWith('/graphql/')) {
        return void (await graphql.handle(req, res));
      }
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
    // A deep accept queue: after a restart every runner reconnects at once, and connections that
    // overflow the default 511 are reset (ECONNRESET at the runner) rather than queued.
    server.listen({ port, host, backlog: 4096 }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`,
    openSubscriptions: ws.openSubscriptions,
    async close() {
      await ws.close();
      await health.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Long-polls and idle keep-alive sockets must not hold shutdown hostage.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
    },
  };
}
