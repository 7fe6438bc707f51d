import type { Command } from 'commander';
import { defaultDataDir } from '../../server/config.js';

export function register(program: Command): void {
  program
    .command('server')
    .description(
      'Start the Benchline server: API, registry, console (embedded PostgreSQL unless DATABASE_URL)',
    )
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'where the embedded database and blobs live (env BENCHLINE_DATA_DIR)')
    .addHelpText('after', serverHelp)
    .action(async (flags: { port?: string; host?: string; dataDir?: string }) => {
      const { runServer } = await import('../../server/main.js');
      await runServer({
        ...process.env,
        ...(flags.port && { PORT: flags.port }),
        ...(flags.host && { HOST: flags.host }),
        ...(flags.dataDir && { BENCHLINE_DATA_DIR: flags.dataDir }),
      });
    });

  program
    .command('db')
    .description('Database maintenance')
    .command('migrate')
    .description('Apply pending migrations to DATABASE_URL (the server also does this on start)')
    .action(async () => {
      const { migrateCommand } = await import('../../server/main.js');
      await migrateCommand(process.env);
    });
}

/** Where the data goes and what configures the server: asked for before the first start. */
function serverHelp(): string {
  const dataDir = process.env.BENCHLINE_DATA_DIR || defaultDataDir();
  return `
Data directory: ${dataDir}
  the embedded PostgreSQL (unless DATABASE_URL is set) and the registry's blobs; change it with
  --data-dir or BENCHLINE_DATA_DIR (default ~/.local/share/benchline, /var/lib/benchline as root).

Environment variables:
  PORT, HOST                        where to listen (8080, 127.0.0.1)
  DATABASE_URL                      a PostgreSQL 14+ to use instead of the embedded one
  BENCHLINE_DATA_DIR                the data directory above
  BENCHLINE_PUBLIC_URL              how runners and registry clients reach this server
  BENCHLINE_SIGNUP_OPEN             whether anyone may sign up (true)
  BENCHLINE_DEFAULT_PLAN            the plan new organizations start on (NONE: the FREE tier)
  BENCHLINE_<TIER>_CONCURRENCY      jobs in flight per organization, TIER one of UNCLAIMED, FREE,
  BENCHLINE_<TIER>_TIMEOUT          TEAM, ENTERPRISE; and the most a job of that tier may run
  BENCHLINE_TRUSTED_PROXIES         addresses whose X-Forwarded-For is believed
  BENCHLINE_RATE_LIMIT_ANONYMOUS    requests per minute per source IP (…_TOKEN: per token)
  BENCHLINE_HEARTBEAT_TIMEOUT       seconds without a runner heartbeat before its job fails
  BENCHLINE_BLOB_STORE              s3://bucket?endpoint=…&region=… for object storage (disk)
  BENCHLINE_LOG_ARCHIVE_AFTER       seconds before a finished job's log moves to the blob store
  LOG_LEVEL                         structured JSON logs (info)
  The README's Configuration table lists every variable with its default.

Examples:
  $ benchline server
  $ benchline server --data-dir /srv/benchline --host 0.0.0.0
  $ DATABASE_URL=postgres://localhost/benchline benchline server --port 9000
`;
}
