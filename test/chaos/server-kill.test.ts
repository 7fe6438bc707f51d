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
import { REPORT } from '../runner/fixtures.js';
import { bmf, type ChaosWorld, chaosWorld, tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let database: TestDatabase;
let port: number;
let world: ChaosWorld;

// Long enough that the outage (kill, then a cold start of another server process) never trips it.
const serverEnv = { BENCHLINE_HEARTBEAT_TIMEOUT: '30', BENCHLINE_SWEEP_INTERVAL_MS: '200' };
const startServer = (name: string) =>
  startServerProcess(name, {
    port,
    databaseUrl: database.url,
    dataDir: join(tmp.dir, 'data'),
    env: serverEnv,
  });

beforeAll(async () => {
  tmp = await tempDir('benchline-chaos-server-');
  database = await createTestDatabase();
  port = await freePort();
});

afterAll(async () => {
  await killAll();
  await tmp?.remove();
});

const TICKS = 40;

describe('chaos: SIGKILL of the server mid-job', () => {
  it('a new server on the same database and port takes over; the job ends PROCESSED with its whole log', async () => {
    const first: Spawned = await startServer('server-1');
    world = await chaosWorld({
      dir: tmp.dir,
      url: `http://127.0.0.1:${port}`,
      databaseUrl: database.url,
      runners: 1,
    });
    const image = await world.push(`echo before
i=0
while [ $i -lt ${TICKS} ]; do echo "tick $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.2; done
echo '${bmf('survivor', 5)}' > /tmp/r.json
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

    await first.kill('SIGKILL');
    // The workload goes on printing while no server answers: every call has to be retried.
    await new Promise((r) => setTimeout(r, 2000));
    const second = await startServer('server-2');

    const job = await world.finished(jobId, [first, second, runner]);
    expect(job).toMatchObject({ status: 'PROCESSED', exitCode: 0, failureReason: null });
    const log = await world.log(jobId);
    const ticks = Array.from({ length: TICKS }, (_, i) => i);
    expect(log.stdout).toBe(`before\n${ticks.map((i) => `tick ${i}\n`).join('')}after\n`);
    expect(log.stderr).toBe(ticks.map((i) => `err ${i}\n`).join(''));
    const report = await world.admin.data<{ report: { results: unknown } }>(REPORT, {
      id: await reportOf(jobId),
    });
    expect(JSON.stringify(report.report.results)).toContain('survivor');

    // The runner, having reconnected, also serves a job submitted after the restart.
    const next = await world.submit(await world.push(`echo '${bmf('after-restart', 1)}'\n`));
    expect(await world.finished(next, [second, runner])).toMatchObject({ status: 'PROCESSED' });
    const stuck = await database.db
      .selectFrom('job')
      .select(['id', 'status'])
      .where('status', 'in', ['PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED'])
      .execute();
    expect(stuck).toEqual([]);
  });
});

async function reportOf(jobId: string): Promise<string> {
  const row = await database.db
    .selectFrom('job')
    .select('report_id')
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow();
  return row.report_id;
}
