import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import { bmf, pushImage, scriptLayers, startWorld, submit, type World, waitForJob } from './fixtures.js';

// The third probe: 110 sparse files of 25 MiB − 1 named as result files pass the per-file check;
// read whole and JSON-escaped (a NUL becomes six bytes) they took the runner's heap past 4 GiB.
let world: World;
let runner: ChildProcess;
const MiB = 1024 * 1024;

const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
};

beforeAll(async () => {
  world = await startWorld();
  // The real CLI in a process of its own, so its memory is the runner's alone.
  runner = spawn(process.execPath, [...CLI_ARGV, 'runner', 'up', '--work-dir', join(world.dir, 'runner')], {
    env: { ...process.env, BENCHLINE_HOST: world.server.url, BENCHLINE_RUNNER_KEY: world.runnerKey },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // The memory before the job is sampled once the runner has booted (module loading grows it too).
  await new Promise<void>((resolve) => {
    let out = '';
    runner.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('runner up:')) resolve();
    });
  });
});

afterAll(() => {
  if (runner.exitCode === null) runner.kill('SIGKILL');
});

describe('runner: result files are measured before they are read', () => {
  it('refuses 110 sparse 25 MiB files before reading them, and the runner stays up and small', async () => {
    const files = Array.from({ length: 110 }, (_, i) => `/tmp/r${i}`);
    const script = `for i in $(/bin/busybox seq 0 109); do
  /bin/busybox dd if=/dev/zero of=/tmp/r$i bs=1 count=0 seek=${25 * MiB - 1} 2>/dev/null
done
`;
    const image = await pushImage(world, scriptLayers(script));
    const before = memory(runner.pid!);
    const { jobId } = await submit(world, { image, filePaths: files, timeout: 120 });
    const job = await waitForJob(world, jobId);
    const after = memory(runner.pid!);
    console.log(
      `runner RSS: ${(before.rss / MiB).toFixed(0)} MiB before the job, ${(after.rss / MiB).toFixed(0)} MiB after, peak ${(after.peak / MiB).toFixed(0)} MiB (the files: ${((110 * 25 * MiB) / MiB).toFixed(0)} MiB apparent)`,
    );
    expect(job).toMatchObject({ status: 'FAILED', failureReason: 'RUNNER_ERROR' });
    expect(job.failureMessage).toMatch(/outputs come to 2750\.0 MiB, more than the 60\.0 MiB/);
    expect(runner.exitCode).toBeNull();
    // Reading them would have taken 2.7 GiB, escaping them 16 GiB; refusing them costs nothing.
    expect(after.peak - before.peak).toBeLessThan(64 * MiB);

    const image2 = await pushImage(world, scriptLayers(`echo '${bmf('after', 1)}'\n`));
    const next = await submit(world, { image: image2 });
    expect((await waitForJob(world, next.jobId)).status).toBe('PROCESSED');
  });
});
