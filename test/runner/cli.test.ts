import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHost } from '../../src/runner/executors/probe.js';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import {
  bmf,
  pushImage,
  scriptLayers,
  startWorld,
  storedLog,
  submit,
  type World,
  waitForJob,
} from './fixtures.js';

let world: World;
let image: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // A short heartbeat timeout, so a dead runner is noticed quickly.
  world = await startWorld({ heartbeatTimeoutSeconds: 2 });
  image = await pushImage(world, scriptLayers(`echo started\nsleep 3600\necho '${bmf('never', 1)}'\n`));
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Daemon {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The real CLI in its own process: `benchline runner up`. */
function runnerUp(workDir: string, extra: string[] = [], key = world.runnerKey): Daemon {
  const child = spawn(process.execPath, [...CLI_ARGV, 'runner', 'up', '--work-dir', workDir, ...extra], {
    env: {
      ...process.env,
      BENCHLINE_HOST: world.server.url,
      BENCHLINE_RUNNER_KEY: key,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (c) => {
    out += c;
  });
  child.stderr?.on('data', (c) => {
    err += c;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function untilStarted(jobId: string): Promise<void> {
  for (;;) {
    if ((await storedLog(world, jobId)).stdout.toString() === 'started\n') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Processes whose command line mentions `needle` (the workload's sleep, say). */
async function processesWith(needle: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(join('/proc', pid, 'cmdline'), 'utf8').catch(() => '');
    if (cmdline.split('\0').join(' ').includes(needle)) found.push(Number(pid));
  }
  return found;
}

describe('runner: the real CLI process', () => {
  it('refuses the host executor without the loud flag', async () => {
    const daemon = runnerUp(join(world.dir, 'cli-host'), ['--executor', 'host']);
    expect(await daemon.exited).toBe(1);
    expect(daemon.stderr()).toMatch(/no isolation/);
  });

  it('runs a job with the host executor when the loud flag is given', async () => {
    const daemon = runnerUp(join(world.dir, 'cli-host-ok'), [
      '--executor',
      'host',
      '--i-understand-host-executor-has-no-isolation',
    ]);
    const { jobId } = await submit(world, {
      image,
      entrypoint: ['/bin/sh', '-c', `echo '${bmf('on-host', 9)}'`],
    });
    expect(await waitForJob(world, jobId)).toMatchObject({ status: 'PROCESSED', exitCode: 0 });
    // Jobs take the benchmark cores; the runner itself keeps to core 0 where there is more than one.
    const caps = await probeHost();
    if (caps.taskset && caps.cores > 1) {
      const status = await readFile(`/proc/${daemon.child.pid}/status`, 'utf8');
      expect(/Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1]).toBe('0');
      expect(daemon.stderr()).toContain('runner pinned off the benchmark cores');
    }
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.stderr()).toContain('HOST EXECUTOR');
  });

  it("stops with the server's answer when the key is wrong", async () => {
    const daemon = runnerUp(join(world.dir, 'cli-bad-key'), [], 'not-a-runner-key');
    expect(await daemon.exited).toBe(1);
    expect(daemon.stderr()).toMatch(/^error: the token is unknown/m);
  });

  it('when killed with SIGKILL, its job fails with HEARTBEAT_TIMEOUT and the workload dies with it', async () => {
    const daemon = runnerUp(join(world.dir, 'cli-kill'));
    const { jobId } = await submit(world, { image });
    await untilStarted(jobId);
    // The probe is logged as structured JSON on stderr at start; progress lines go to stdout.
    const probe = daemon
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === 'host probe');
    expect(probe.host.bwrap.works).toBe(true);
    expect(daemon.stdout()).toContain(`job ${jobId}: claimed`);
    // Which mechanism holds each spec limit on this host, printed before the first claim.
    expect(daemon.stdout()).toMatch(
      /limits on this host:\n {2}cpu .*\n {2}memory .*\n {2}disk .*\n {2}processes .*\n {2}network /,
    );

    daemon.child.kill('SIGKILL');
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'FAILED', failureReason: 'HEARTBEAT_TIMEOUT' });
    // bwrap --die-with-parent: nothing of the sandbox outlives the runner.
    while ((await processesWith('sleep 3600')).length > 0) await new Promise((r) => setTimeout(r, 100));
  });

  it('on SIGTERM stops claiming, fails the running job honestly after the grace period, and exits 0', async () => {
    const daemon = runnerUp(join(world.dir, 'cli-term'), ['--shutdown-grace', '0']);
    const { jobId } = await submit(world, { image });
    await untilStarted(jobId);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'FAILED', failureReason: 'RUNNER_ERROR' });
    expect(job.failureMessage).toMatch(/shut down/);
  });
});
