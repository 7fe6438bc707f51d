import { createAdminToken } from './accounts/users.js';
import { startServer } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/database.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import { serverExtensions } from './extensions.js';
import { createLogger } from './logger.js';
import { describeBlobStore, openBlobStore } from './registry/open-blob-store.js';

type Env = Record<string, string | undefined>;

function config(env: Env) {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

/** `benchline server`: runs until SIGTERM or SIGINT, then drains and stops cleanly. */
export async function runServer(env: Env): Promise<void> {
  const cfg = config(env);
  const log = createLogger(cfg.logLevel);
  const store = openBlobStore(cfg);
  try {
    await store.check();
  } catch (error) {
    // A wrong bucket, endpoint or key is configuration too: say so before serving anything.
    const reason = (error as Error).message || (error as Error).name;
    console.error(`configuration error: the blob store ${describeBlobStore(cfg)} cannot be used: ${reason}`);
    process.exit(2);
  }
  const server = await startServer({
    config: cfg,
    log,
    extensions: serverExtensions(cfg, store),
    onBootstrapToken: (secret) => {
      // Printed to the terminal, not the log: logs are kept, and secrets must not be.
      process.stderr.write(
        `\nFirst start: an admin user was created. Its API token (shown once):\n\n  ${secret}\n\n` +
          'Keep it: `benchline auth login --token <token>`. `benchline admin token` makes another.\n\n',
      );
    },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

async function withDatabase<T>(
  env: Env,
  fn: (db: ReturnType<typeof createDatabase>) => Promise<T>,
): Promise<T> {
  const cfg = config(env);
  const embedded = cfg.databaseUrl
    ? null
    : await startEmbeddedPostgres(cfg.dataDir, cfg.embeddedPostgresPort);
  const db = createDatabase({ url: cfg.databaseUrl ?? embedded!.url });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

export async function migrateCommand(env: Env): Promise<void> {
  const applied = await withDatabase(env, migrateToLatest);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
}

export async function adminTokenCommand(env: Env): Promise<void> {
  const token = await withDatabase(env, async (db) => {
    await migrateToLatest(db);
    return createAdminToken(db, new Date(), config(env).defaultPlan);
  });
  console.log(token.secret);
}
