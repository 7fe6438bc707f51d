import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { HEALTH_APPLICATION_NAME } from '../../src/server/http/health.js';
import { startTestServer } from '../helpers/server.js';

const server = await startTestServer();
afterAll(() => server.stop());

const healthz = async () => {
  const res = await fetch(`${server.url}/healthz`);
  return { status: res.status, body: await res.json() };
};

describe('/healthz', () => {
  it('answers from a connection of its own while every connection of the request pool is busy', async () => {
    // More statements than the pool has connections (20): the rest queue for one, as the
    // statements of many big reads did.
    let poolBusy = true;
    const sleeps = Promise.all(
      Array.from({ length: 24 }, () => sql`SELECT pg_sleep(8)`.execute(server.deps.db)),
    ).finally(() => {
      poolBusy = false;
    });
    // Watched from outside the pool, which has no connection to spare.
    const watcher = new pg.Client({ connectionString: server.deps.config.databaseUrl! });
    await watcher.connect();
    await expect
      .poll(
        async () =>
          (
            await watcher.query(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(8)' AND datname = current_database()",
            )
          ).rows[0].n,
        { timeout: 5_000 },
      )
      .toBe(20);
    await watcher.end();
    expect(await healthz()).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
    expect(poolBusy).toBe(true);
    await sleeps;
  }, 30_000);

  it('connects again after its connection was cut', async () => {
    expect((await healthz()).status).toBe(200);
    const { rows } = await sql<{ cut: boolean }>`
      SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
      WHERE application_name = ${HEALTH_APPLICATION_NAME} AND datname = current_database()
    `.execute(server.deps.db);
    expect(rows).toEqual([{ cut: true }]);
    // The probe that finds the cut connection may answer 503 (naming the error); the next connects anew.
    const first = await healthz();
    if (first.status !== 200) {
      expect(first.status).toBe(503);
      expect(first.body.status).toBe('unavailable');
    }
    expect(await healthz()).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
  });
});
