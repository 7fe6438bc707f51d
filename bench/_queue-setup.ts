// Shared by bench/claim-latency.ts and bench/lifecycle.ts: a scratch database, a real server with
// the queue extension, an ENTERPRISE tenant (no tier limit in the way), a spec and runners; the rows
// are made by the queue tests' fixtures.
import { type RunningServer, startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createLogger } from '../src/server/logger.js';
import { queueExtension } from '../src/server/queue/extension.js';
import { createRunner } from '../src/server/runners/runners.js';
import { createSpec, createTenant, submit } from '../test/queue/fixtures.js';
import { scratchDatabase } from './_shared.js';

export interface QueueBench {
  server: RunningServer;
  db: Database;
  databaseUrl: string;
  runnerKeys: string[];
  /**
   * What createRun does for a remote run: report + job in one transaction, events after commit.
   * `onReport` runs once the report exists, where createJob's own work starts.
   */
  submit(onReport?: () => void): Promise<string>;
  stop(): Promise<void>;
}

export async function startQueueBench(
  runners: number,
  options: { onQuery?(sql: string): void; eventBus?: string } = {},
): Promise<QueueBench> {
  const scratch = await scratchDatabase('benchline_bench_queue');
  const setup = createDatabase({ url: scratch.url, max: 2 });
  await migrateToLatest(setup);
  await setup.destroy();
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: scratch.url,
    LOG_LEVEL: 'silent',
    BENCHLINE_EVENT_BUS: options.eventBus,
  });
  const server = await startServer({
    config,
    log: createLogger('silent'),
    extensions: [queueExtension()],
    onQuery: options.onQuery,
  });
  config.publicUrl = server.url;
  const { db } = server.deps;
  const specId = await createSpec(db, 'bench', true);
  const tenant = await createTenant(db, 'ENTERPRISE');
  // Jobs take their spec from the testbed, as in a configured project.
  await db.updateTable('testbed').set({ spec_id: specId }).where('id', '=', tenant.testbedId).execute();
  const runnerKeys: string[] = [];
  for (let i = 0; i < runners; i++) {
    runnerKeys.push((await createRunner(db, { name: `bench ${i}`, specs: ['bench'] })).key);
  }
  return {
    server,
    db,
    databaseUrl: scratch.url,
    runnerKeys,
    async submit(onReport) {
      const job = await submit(server, tenant, { cmd: null, sourceIp: '127.0.0.1', onReport });
      return job.id;
    },
    async stop() {
      await server.stop();
      await scratch.drop();
    },
  };
}
