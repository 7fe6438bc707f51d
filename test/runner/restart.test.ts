import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRunner } from '../../src/runner/main.js';
import {
  bmf,
  pushImage,
  scriptLayers,
  startWorld,
  startWorldRunner,
  storedLog,
  submit,
  type World,
  waitForJob,
} from './fixtures.js';

let world: World;
let runner: RunningRunner;

beforeAll(async () => {
  world = await startWorld();
  runner = await startWorldRunner(world);
});

afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
});

const TICKS = 30;

describe('runner: server restart mid-job', () => {
  it('keeps the job going through a server restart; the stored log is exactly what the job printed', async () => {
    const script = `echo before
i=0
while [ $i -lt ${TICKS} ]; do echo "tick $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.2; done
echo '${bmf('restart', 5)}' > /tmp/r.json
echo after
`;
    const image = await pushImage(world, scriptLayers(script));
    const { jobId } = await submit(world, { image, filePaths: ['/tmp/r.json'] });
    for (;;) {
      if ((await storedLog(world, jobId)).stdout.toString().includes('tick 3\n')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await world.stopServer();
    // Long enough that the workload prints while nobody listens and every call has to be retried.
    await new Promise((r) => setTimeout(r, 2500));
    await world.startServer();

    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'PROCESSED', exitCode: 0, failureMessage: null });
    const log = await storedLog(world, jobId);
    const ticks = Array.from({ length: TICKS }, (_, i) => i);
    expect(log.stdout.toString()).toBe(`before\n${ticks.map((i) => `tick ${i}\n`).join('')}after\n`);
    expect(log.stderr.toString()).toBe(ticks.map((i) => `err ${i}\n`).join(''));
  });
});
