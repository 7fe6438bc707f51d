import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
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
let database: TestDatabase;
let server: Spawned;
let world: ChaosWorld;

beforeAll(async () => {
  tmp = await tempDir('benchline-chaos-runner-');
  database = await createTestDatabase();
  const port = await freePort();
  // A heartbeat timeout just above the runner's 2 s interval, swept every 200 ms, so a dead runner shows fast.
  server = await startServerProcess('server', {
    port,
    databaseUrl: database.url,
    dataDir: join(tmp.dir, 'data'),
    env: { BENCHLINE_HEARTBEAT_TIMEOUT: '3', BENCHLINE_SWEEP_INTERVAL_MS: '200' },
  });
  world = await chaosWorld({
    dir: tmp.dir,
    url: `http://127.0.0.1:${port}`,
    databaseUrl: database.url,
    runners: 2,
  });
});

afterAll(async () => {
  await killAll();
  await tmp?.remove();
});

describe('chaos: SIGKILL of a runner mid-job', () => {
  it('fails the job with HEARTBEAT_TIMEOUT, and a second runner keeps serving new jobs', async () => {
    const hang = await world.push('echo started\nsleep 3600\n');
    const quick = await world.push(`echo '${bmf('quick', 7)}'\n`);
    const a = await startRunnerProcess('runner-a', {
      serverUrl: world.url,
      key: world.runnerKeys[0],
      workDir: join(tmp.dir, 'runner-a'),
    });
    const jobId = await world.submit(hang);
    await until(`job ${jobId} to print`, async () => (await world.log(jobId)).stdout === 'started\n');
    expect(a.output()).toContain(`job ${jobId}: claimed`);
    const b = await startRunnerProcess('runner-b', {
      serverUrl: world.url,
      key: world.runnerKeys[1],
      workDir: join(tmp.dir, 'runner-b'),
    });

    await a.kill('SIGKILL');
    expect(await world.finished(jobId, [server, a, b])).toMatchObject({
      status: 'FAILED',
      failureReason: 'HEARTBEAT_TIMEOUT',
    });

    for (let i = 0; i < 2; i++) {
      const next = await world.submit(quick);
      expect(await world.finished(next, [server, b])).toMatchObject({ status: 'PROCESSED', exitCode: 0 });
      expect(b.output()).toContain(`job ${next}: claimed`);
    }
    const stuck = await database.db
      .selectFrom('job')
      .select(['id', 'status'])
      .where('status', 'in', ['PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED'])
      .execute();
    expect(stuck).toEqual([]);
  });
});
