import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { type RunningServer, type StartOptions, startServer } from '../../src/server/app.js';
import { type Config, loadConfig } from '../../src/server/config.js';
import { createLogger } from '../../src/server/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { type GraphqlClient, graphqlClient } from './graphql-client.js';

export interface TestServer extends RunningServer {
  database: TestDatabase;
  /** The bootstrap admin's token. */
  adminToken: string;
  /** A client with the given token (or anonymous). */
  client(token?: string | null): GraphqlClient;
}

export interface TestServerOptions extends Partial<Omit<StartOptions, 'config'>> {
  config?: Partial<Config>;
  /** Share a database with another test server (several servers, one database). */
  database?: TestDatabase;
}

/**
 * TEST_EVENT_BUS=nats://… runs a suite on the NATS bus instead of NOTIFY. Each test file gets a
 * subject prefix of its own, so files running side by side on one NATS do not hear each other.
 */
export const testEventBus = (() => {
  const raw = process.env.TEST_EVENT_BUS;
  if (!raw) return undefined;
  const url = new URL(raw);
  url.searchParams.set('prefix', `test-${randomBytes(4).toString('hex')}`);
  return url.toString();
})();

/** A real server on a free port over a fresh database; stopped after the file's tests. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  let adminToken = '';
  const config = loadConfig(
    {
      PORT: '0',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      BENCHLINE_EVENT_BUS: testEventBus,
    },
    { publicUrl: 'http://127.0.0.1:0', ...options.config },
  );
  const server = await startServer({
    ...options,
    config,
    log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    onBootstrapToken: (secret) => {
      adminToken = secret;
    },
  });
  // Runners and registry clients reach the server at its real port.
  config.publicUrl = server.url;
  if (!adminToken) {
    const { createAdminToken } = await import('../../src/server/accounts/users.js');
    adminToken = (await createAdminToken(database.db, new Date())).secret;
  }
  afterAll(() => server.stop());
  return {
    ...server,
    database,
    adminToken,
    client: (token) => graphqlClient(server.url, token ?? null),
  };
}
