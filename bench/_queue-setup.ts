// Shared by bench/claim-latency.ts and bench/lifecycle.ts: a scratch database, a real server with
// the queue extension, an ENTERPRISE tenant (no tier limit in the way), a spec and runners.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { type RunningServer, startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import type { BusEvent } from '../src/server/events/bus.js';
import { createLogger } from '../src/server/logger.js';
import { createJob } from '../src/server/queue/create-job.js';
import { publishAll } from '../src/server/queue/events.js';
import { queueExtension } from '../src/server/queue/extension.js';
import { createRunner } from '../src/server/runners/runners.js';

export const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** A database created now and dropped by the returned function. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = createDatabase({ url: ADMIN_URL, max: 1 });
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  await admin.destroy();
  return {
    url: withDatabase(ADMIN_URL, name),
    async drop() {
      const cleanup = createDatabase({ url: ADMIN_URL, max: 1 });
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(cleanup);
      await cleanup.destroy();
    },
  };
}

export interface QueueBench {
  server: RunningServer;
  db: Database;
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
  options: { onQuery?(sql: string): void } = {},
): Promise<QueueBench> {
  const scratch = await scratchDatabase('benchline_bench_queue');
  const setup = createDatabase({ url: scratch.url, max: 2 });
  await migrateToLatest(setup);
  await setup.destroy();
  const config = loadConfig({ PORT: '0', DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' });
  const server = await startServer({
    config,
    log: createLogger('silent'),
    extensions: [queueExtension()],
    onQuery: options.onQuery,
  });
  config.publicUrl = server.url;
  const { db } = server.deps;
  const spec = await db
    .insertInto('spec')
    .values({ name: 'bench', slug: 'bench', cpu: 2, memory: 1 << 30, disk: 1 << 30, is_default: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const org = await db
    .insertInto('organization')
    .values({
      name: 'bench',
      slug: 'bench',
      claimed_at: new Date(),
      plan: 'LICENSED',
      plan_level: 'ENTERPRISE',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const project = await db
    .insertInto('project')
    .values({ organization_id: org.id, name: 'bench', slug: 'bench' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const branch = await db
    .insertInto('branch')
    .values({ project_id: project.id, name: 'main', slug: 'main' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const testbed = await db
    .insertInto('testbed')
    .values({ project_id: project.id, name: 'ci', slug: 'ci', spec_id: spec.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const runnerKeys: string[] = [];
  for (let i = 0; i < runners; i++) {
    runnerKeys.push((await createRunner(db, { name: `bench ${i}`, specs: ['bench'] })).key);
  }
  const digest = `sha256:${'cd'.repeat(32)}`;
  return {
    server,
    db,
    runnerKeys,
    async submit(onReport) {
      const result = await db.transaction().execute(async (trx) => {
        const report = await trx
          .insertInto('report')
          .values({
            project_id: project.id,
            branch_id: branch.id,
            testbed_id: testbed.id,
            adapter: 'json',
            start_time: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        onReport?.();
        return createJob(
          trx,
          { config, services: server.deps.services, now: new Date() },
          {
            reportId: report.id,
            projectId: project.id,
            organizationId: org.id,
            testbedId: testbed.id,
            image: `bench/app@${digest}`,
            entrypoint: null,
            cmd: null,
            env: {},
            timeoutSeconds: null,
            spec: null,
            filePaths: [],
            iterations: 1,
            sourceIp: '127.0.0.1',
          },
        );
      });
      await publishAll(server.deps.events, result.events as BusEvent[]);
      return result.job.id;
    },
    async stop() {
      await server.stop();
      await scratch.drop();
    },
  };
}

/** A runner's GraphQL calls over one keep-alive HTTP connection pool (Node's fetch). */
export function runnerClient(url: string, key: string) {
  return async <T = any>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data as T;
  };
}
