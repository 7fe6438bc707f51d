import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions } from './executor.js';
import { HostExecutor } from './host.js';
import { benchmarkCores, limitPrefix, pinToRunnerCores, runnerCores } from './limits.js';
import { describeCapabilities, probeHost } from './probe.js';

let dir: string;
const executor = new HostExecutor();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'benchline-host-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exec(argv: string[], extra: Partial<RunOptions> = {}) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const result = await executor.run({
    rootfs: '/nonexistent',
    argv,
    env: { PATH: '/usr/bin:/bin', JOB_VAR: 'job' },
    workingDir: dir,
    network: true,
    timeoutMs: 10_000,
    onStdout: (c) => out.push(c),
    onStderr: (c) => err.push(c),
    ...extra,
  });
  return { result, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

function processesMatching(marker: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(marker)) count++;
    } catch {}
  }
  return count;
}

describe('HostExecutor', () => {
  it('runs on the host with the given env and working dir, and collects files', async () => {
    const { result, stdout, stderr } = await exec([
      'sh',
      '-c',
      'echo $JOB_VAR; pwd; echo e >&2; echo data > out.txt; exit 7',
    ]);
    expect(stdout).toBe(`job\n${dir}\n`);
    expect(stderr).toBe('e\n');
    expect(result.exitCode).toBe(7);
    expect(await result.readFiles(['out.txt', join(dir, 'out.txt')])).toEqual({
      'out.txt': 'data\n',
      [join(dir, 'out.txt')]: 'data\n',
    });
    await result.dispose();
  });

  it('a timeout kills the process group', async () => {
    const { result } = await exec(['sh', '-c', 'sleep 6541 & sleep 6542; wait'], { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, canceled: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(processesMatching('sleep 654')).toBe(0);
    await result.dispose();
  });

  it('cancel takes effect within a second', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 200);
    const { result } = await exec(['sh', '-c', 'sleep 7651 & sleep 7652'], { signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(1200);
    expect(result.canceled).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(processesMatching('sleep 765')).toBe(0);
    await result.dispose();
  });

  it('reports a missing command as an executor error', async () => {
    await expect(exec(['/nonexistent/command'])).rejects.toMatchObject({ code: 'EXECUTOR_ERROR' });
  });
});

describe('limits and probe', () => {
  it('leaves core 0 to the runner', () => {
    expect(benchmarkCores(1)).toEqual([0]);
    expect(benchmarkCores(4)).toEqual([1, 2, 3]);
    expect(benchmarkCores(4, 2)).toEqual([1, 2]);
    expect(benchmarkCores(2, 8)).toEqual([1]);
  });

  it('builds a prlimit/setpriv/taskset prefix from what the host has', () => {
    const caps = {
      cores: 4,
      prlimit: '/usr/bin/prlimit',
      taskset: '/usr/bin/taskset',
      setpriv: '/usr/bin/setpriv',
    };
    const limits = { memoryBytes: 1024, maxProcesses: 64, cpus: 2, diskBytes: 4096 };
    // Without a sandbox uid of its own, RLIMIT_NPROC would count the runner's tasks too: not set.
    expect(limitPrefix(limits, caps)).toEqual([
      '/usr/bin/prlimit',
      '--as=2048',
      '--fsize=4096',
      '--core=0',
      '--',
      '/usr/bin/taskset',
      '-c',
      '1,2',
    ]);
    expect(limitPrefix(limits, caps, { uid: 1500000001, gid: 1500000000 })).toEqual([
      '/usr/bin/prlimit',
      '--as=2048',
      '--nproc=67',
      '--fsize=4096',
      '--core=0',
      '--',
      '/usr/bin/setpriv',
      '--reuid=1500000001',
      '--regid=1500000000',
      '--clear-groups',
      '--inh-caps=-all',
      '--',
      '/usr/bin/taskset',
      '-c',
      '1,2',
    ]);
    expect(limitPrefix({ memoryBytes: 1024 }, { cores: 1, prlimit: undefined, taskset: undefined })).toEqual(
      [],
    );
  });

  it('keeps core 0 for the runner itself, and nothing on a 1-core host', async () => {
    expect(runnerCores(1)).toEqual([]);
    expect(runnerCores(4)).toEqual([0]);
    // Nothing to pin: no taskset call at all, and the restore is a no-op.
    const restore = await pinToRunnerCores({ cores: 1, prlimit: undefined, taskset: '/nonexistent/taskset' });
    await restore();
  });

  it.runIf(availableParallelism() > 1)(
    'pins every thread of a process to the runner core and restores its affinity',
    async (ctx) => {
      const caps = await probeHost();
      if (!caps.taskset) ctx.skip();
      // A node process: several threads already running, as the runner has.
      const child = spawn(process.execPath, ['-e', 'console.log("up"); setTimeout(() => {}, 30_000)'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const pid = child.pid as number;
      const affinities = () =>
        readdirSync(`/proc/${pid}/task`).map(
          (tid) =>
            /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1],
        );
      try {
        await new Promise((resolve) => child.stdout.once('data', resolve));
        const before = affinities();
        expect(before.length).toBeGreaterThan(1);
        const restore = await pinToRunnerCores(caps, pid);
        expect(new Set(affinities())).toEqual(new Set(['0']));
        await restore();
        expect(affinities()).toEqual(before);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );

  it('describes the host', async () => {
    const caps = await probeHost();
    const text = describeCapabilities(caps);
    expect(text).toContain(`cores=${caps.cores}`);
    console.log(`host capabilities: ${text}`);
  });
});
