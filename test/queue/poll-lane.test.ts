// The long-poll lane (ServerDeps.pollDb, issue 23 §2): idle runners' claimJob long-polls take
// their connections from a small pool of their own, so however many of them the database holds
// up, a submit does not wait behind them for a connection.
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { RunnerClient } from '../../src/runner/client.js';
import { createDatabase } from '../../src/server/db/database.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { startTestServer } from '../helpers/server.js';
import { createRunner, createSpec, createTenant, submit } from './fixtures.js';

const server = await startTestServer({ extensions: [queueExtension({ sweeperTimer: false })] });
const { db } = server.database;
await createSpec(db, 'lane-default', true);
const tenant = await createTenant(db, 'ENTERPRISE');
// More long-polls than the request pool has connections (20).
const IDLE = 30;
const runners = await Promise.all(
  Array.from({ length: IDLE }, async () => {
    const { key } = await createRunner(server, ['lane-default']);
    return new RunnerClient({ serverUrl: server.url, key });
  }),
);
// Its own connections: one holds the lock that stalls the long-polls, one watches them.
const locker = createDatabase({ url: server.database.url, max: 2 });
afterAll(async () => {
  await Promise.all(runners.map((r) => r.close()));
  await locker.destroy();
});

/** Sessions of this database waiting for a lock. */
async function lockWaiters(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'
  `.execute(locker);
  return rows[0]?.n ?? 0;
}

it('a submit gets a connection while more idle long-polls than the pool has are held in the database', async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  // Every long-poll reads its runner's specs from `runner_spec`: under this lock each one holds a
  // connection, stalled, as a slow database holds a re-poll wave's statements.
  const holding = locker.transaction().execute(async (trx) => {
    await sql`LOCK TABLE runner_spec IN ACCESS EXCLUSIVE MODE`.execute(trx);
    await released;
  });
  try {
    await new Promise((r) => setTimeout(r, 100));
    const polls = runners.map((r) => r.claimJob(undefined, 0, { attempts: 1 }).catch(() => null));
    // Wait until the stalled long-polls hold all the connections they can get.
    let stalled = 0;
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const now = await lockWaiters();
      if (now > 0 && now === stalled) break;
      stalled = now;
    }
    expect(stalled).toBeGreaterThan(0);
    const started = performance.now();
    const job = await Promise.race([
      submit(server, tenant),
      new Promise<null>((r) => setTimeout(() => r(null), 3000)),
    ]);
    // On one pool the submit waited in the pool's queue behind the stalled long-polls until the lock went.
    expect(job, 'the submit waited for a connection behind idle long-polls').not.toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
    release();
    await holding;
    // Once the database answers, the long-polls answer too: the job to one of them, nothing to the rest.
    const answers = await Promise.all(polls);
    expect(answers.filter((a) => a !== null).map((a) => a?.id)).toEqual([job?.id]);
  } finally {
    release();
    await holding.catch(() => {});
  }
});
