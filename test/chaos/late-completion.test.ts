import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchJob } from '../../src/cli/run/remote.js';
import type { RunEvent } from '../../src/cli/run/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';
import {
  describeProcesses,
  killAll,
  startRunnerProcess,
  startServerProcess,
  until,
} from '../helpers/processes.js';
import { bmf, chaosWorld, tempDir } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let database: TestDatabase;

// Short, so the sweeper fails the job while its runner's server is down (issue #20 §4); the
// late-completion grace keeps its default (300 s).
const serverEnv = { BENCHLINE_HEARTBEAT_TIMEOUT: '3', BENCHLINE_SWEEP_INTERVAL_MS: '200' };
const startServer = (name: string, port: number) =>
  startServerProcess(name, {
    port,
    databaseUrl: database.url,
    dataDir: join(tmp.dir, 'data'),
    env: serverEnv,
  });

beforeAll(async () => {
  tmp = await tempDir('benchline-chaos-late-');
  database = await createTestDatabase();
});

afterAll(async () => {
  await killAll();
  await tmp?.remove();
});

const TICKS = 40;

describe('chaos: SIGKILL of the runner’s server while a jobLogs subscriber watches from another server', () => {
  it('the sweeper fails the job, the runner’s late completion wins, and the subscriber sees every chunk and PROCESSED', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const serverA = await startServer('server-a', portA);
    const serverB = await startServer('server-b', portB);
    const world = await chaosWorld({
      dir: tmp.dir,
      url: `http://127.0.0.1:${portA}`,
      databaseUrl: database.url,
      runners: 1,
    });
    const image = await world.push(`echo before
i=0
while [ $i -lt ${TICKS} ]; do echo "tick $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.2; done
echo '${bmf('late', 7)}' > /tmp/r.json
echo after
`);
    const runner = await startRunnerProcess('runner', {
      serverUrl: world.url,
      key: world.runnerKeys[0]!,
      workDir: join(tmp.dir, 'runner'),
    });
    const processes = [serverA, serverB, runner];
    const jobId = await world.submit(image, ['/tmp/r.json']);

    // The subscriber: `benchline run`'s own follower, connected to server B.
    const events: RunEvent[] = [];
    const watching = watchJob({
      connection: { host: `http://127.0.0.1:${portB}`, token: world.adminToken, tokenSource: 'flag' },
      jobId,
      emit: (event) => events.push(event),
    });
    const text = (stream: string) =>
      events.flatMap((e) => (e.type === 'log' && e.stream === stream ? [e.text] : [])).join('');
    const statuses = () => events.flatMap((e) => (e.type === 'status' ? [e] : []));
    // A wait that, when it gives up, tells what the subscriber heard and what the processes said.
    const watched = (what: string, check: () => boolean, ms: number) =>
      until(what, check, ms).catch((error) => {
        const heard = JSON.stringify(events.filter((e) => e.type !== 'log'));
        throw new Error(`${String(error)}\nthe subscriber heard: ${heard}\n${describeProcesses(processes)}`);
      });
    await watched(
      'the subscriber on server B to see tick 3',
      () => text('STDOUT').includes('tick 3\n'),
      60_000,
    );

    await serverA.kill('SIGKILL');
    await watched(
      'server B’s sweeper to fail the job for its missed heartbeats, and the subscriber to hear it',
      () => statuses().some((s) => s.status === 'FAILED' && s.failureReason === 'HEARTBEAT_TIMEOUT'),
      30_000,
    );
    // The runner is alive behind the dead server: a new server on A's port takes its retried calls.
    const serverA2 = await startServer('server-a2', portA);
    processes.push(serverA2);

    const last = await Promise.race([
      watching,
      world.finished(jobId, processes, 90_000).then(async (job) => {
        // The job's end is stored; give the subscriber a bounded while to hear it.
        await watched('the subscriber to end', () => statuses().at(-1)?.status === job.status, 20_000);
        return watching;
      }),
    ]);
    expect(last.status).toBe('PROCESSED');
    // The subscriber heard the heartbeat failure, and then the job's real end.
    const heard = statuses().map((s) => `${s.status}${s.failureReason ? `/${s.failureReason}` : ''}`);
    expect(heard.slice(-2)).toEqual(['FAILED/HEARTBEAT_TIMEOUT', 'PROCESSED']);
    const ticks = Array.from({ length: TICKS }, (_, i) => i);
    const stdout = `before\n${ticks.map((i) => `tick ${i}\n`).join('')}after\n`;
    const stderr = ticks.map((i) => `err ${i}\n`).join('');
    // Every chunk, once, in order — as the subscriber saw it and as it is stored.
    expect(text('STDOUT')).toBe(stdout);
    expect(text('STDERR')).toBe(stderr);
    expect(await world.log(jobId)).toEqual({ stdout, stderr });
    expect(await world.status(jobId)).toMatchObject({
      status: 'PROCESSED',
      exitCode: 0,
      failureReason: null,
    });
  }, 180_000);
});
