// What the registry benches share: a server with the registry mounted and a project to push to.
import { type RunningServer, startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { type RegistryExtensionOptions, registryExtension } from '../src/server/registry/extension.js';

export interface RegistryBenchServer {
  server: RunningServer;
  /** The bootstrap admin's token: the password a registry client pushes with. */
  adminToken: string;
  /** The admin's Basic credentials for /v2, as headers. */
  auth: { authorization: string };
  /** host:port, as in image references. */
  host: string;
}

/** A quiet server on a free port over `databaseUrl`, with organization and project `bench`. */
export async function startRegistryBenchServer(
  databaseUrl: string,
  registry: RegistryExtensionOptions,
): Promise<RegistryBenchServer> {
  let adminToken = '';
  const config = loadConfig({ PORT: '0', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const server = await startServer({
    config,
    log: createLogger('silent'),
    extensions: [registryExtension(registry)],
    onBootstrapToken: (secret) => {
      adminToken = secret;
    },
  });
  // Clients reach the registry (and its redirects and tokens) at the real port.
  config.publicUrl = server.url;
  const org = await server.deps.db
    .insertInto('organization')
    .values({ name: 'bench', slug: 'bench' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await server.deps.db
    .insertInto('project')
    .values({ organization_id: org.id, name: 'bench', slug: 'bench' })
    .execute();
  const auth = { authorization: `Basic ${Buffer.from(`bench:${adminToken}`).toString('base64')}` };
  return { server, adminToken, auth, host: new URL(server.url).host };
}
