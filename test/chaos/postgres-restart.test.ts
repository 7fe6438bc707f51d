import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/server/db/database.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/server/db/embedded.js';
import { freePort } from '../helpers/free-port.js';
import {
  killAll,
  type Spawned,
  startRunnerProcess,
  startServerProcess,
  until,
} from '../helpers/processes.js';
import { bmf, type ChaosWorld, chaosWorld, tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pgDir: string;
let pgPort: number;
let postgres: EmbeddedDatabase | undefined;
let server: Spawned;
let world: ChaosWorld;

// The configured outcome: the outage is far shorter than the heartbeat timeout, so jobs must finish PROCESSED.
const HEARTBEAT_TIMEOUT = 30;

beforeAll(async () => {
  tmp = await tempDir('benchline-chaos-pg-');
  // Its own PostgreSQL: the shared test server must not be restarted under other tests.
  pgDir = join(tmp.dir, 'pg');
  // As root, PostgreSQL runs as its own user, which must be able to walk into the data directory.
  await chmod(tmp.dir, 0o755);
  pgPort = await freePort();
  postgres = await startEmbeddedPostgres(pgDir, pgPort);
  const port = await freePort();
  server = await startServerProcess('server', {
    port,
    databaseUrl: postgres.url,
    dataDir: join(tmp.dir, 'data'),
    env: { BENCHLINE_HEARTBEAT_TIMEOUT: String(HEARTBEAT_TIMEOUT), BENCHLINE_SWEEP_INTERVAL_MS: '200' },
  });
  world = await chaosWorld({
    dir: tmp.dir,
    url: `http://127.0.0.1:${port}`,
    databaseUrl: postgres.url,
    runners: 1,
  });
});

afterAll(async () => {
  await killAll();
  await postgres?.stop().catch(() => {});
  await tmp?.remove();
});

const TICKS = 40;

describe('chaos: PostgreSQL restarts during a job', () => {
  it('the pool and the event listener recover; the job in flight ends PROCESSED with its whole log', async () => {
    const image = await world.push(`echo before
i=0
while [ $i -lt ${TICKS} ]; do echo "tick $i"; i=$((i+1)); sleep 0.2; done
echo '${bmf('through-restart', 3)}' > /tmp/r.json
echo after
`);
    const runner = await startRunnerProcess('runner', {
      serverUrl: world.url,
      key: world.runnerKeys[0],
      workDir: join(tmp.dir, 'runner'),
    });
    const jobId = await world.submit(image, ['/tmp/r.json']);
    await until(`job ${jobId} to print a few ticks`, async () =>
      (await world.log(jobId)).stdout.includes('tick 3\n'),
    );

    // Queued behind it (one job in flight per FREE organization): it must be claimed after the restart.
    const queued = await world.submit(await world.push(`echo '${bmf('queued', 2)}'\n`));

    await postgres!.stop();
    postgres = undefined;
    // While the database is down the server answers errors, and the runner keeps retrying.
    await new Promise((r) => setTimeout(r, 1500));
    postgres = await startEmbeddedPostgres(pgDir, pgPort);

    const job = await world.finished(jobId, [server, runner]);
    expect(job).toMatchObject({ status: 'PROCESSED', exitCode: 0, failureReason: null });
    const ticks = Array.from({ length: TICKS }, (_, i) => `tick ${i}\n`).join('');
    expect((await world.log(jobId)).stdout).toBe(`before\n${ticks}after\n`);
    await until('the event listener to reconnect', () =>
      server.output().includes('event listener reconnected'),
    );
    expect(await world.finished(queued, [server, runner])).toMatchObject({ status: 'PROCESSED' });

    // A job submitted after the restart reaches the runner (its notification and the claim go through).
    const next = await world.submit(await world.push(`echo '${bmf('after', 1)}'\n`));
    expect(await world.finished(next, [server, runner])).toMatchObject({ status: 'PROCESSED' });

    const db = createDatabase({ url: postgres.url, max: 1 });
    try {
      const stuck = await db
        .selectFrom('job')
        .select(['id', 'status'])
        .where('status', 'in', ['PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED'])
        .execute();
      expect(stuck).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
