import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('server')
    .description(
      'Start the Benchline server: API, registry, console (embedded PostgreSQL unless DATABASE_URL)',
    )
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'where the embedded database and blobs live (env BENCHLINE_DATA_DIR)')
    .addHelpText(
      'after',
      '\nExamples:\n  benchline server\n  DATABASE_URL=postgres://localhost/benchline benchline server --port 9000\n',
    )
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
