import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLayer, busyboxEntries } from '../../../test/helpers/oci-image.js';
import { unpackImage } from '../image/unpack.js';
import { createSandboxExecutor } from '../sandbox-executor.js';
import type { BwrapExecutor } from './bwrap.js';
import { type HostCapabilities, probeHost } from './probe.js';
import { unmountStale } from './sandbox-scratch.js';

// A job's priority is raised by a root runner (CAP_SYS_NICE) on a host with cores for jobs alone.
let caps: HostCapabilities;
let dir: string;
let rootfs: string;

beforeAll(async () => {
  caps = await probeHost();
  dir = await mkdtemp(join(tmpdir(), 'benchline-priority-'));
  // Sandboxes with uids of their own must be able to pass through the work dir's parents.
  await chmod(dir, 0o711);
  const layer = join(dir, 'layer.tar.gz');
  await writeFile(layer, buildLayer(busyboxEntries()).blob);
  await mkdir(join(dir, 'work', 'scratch'), { recursive: true });
  rootfs = join(dir, 'rootfs');
  await unpackImage([{ path: layer }], rootfs);
});

afterAll(async () => {
  await unmountStale(join(dir, 'work', 'scratch'));
  await rm(dir, { recursive: true, force: true });
});

async function job(executor: BwrapExecutor, script: string) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const result = await executor.run({
    rootfs,
    argv: ['sh', '-c', script],
    env: { PATH: '/bin' },
    workingDir: '/',
    network: false,
    timeoutMs: 10_000,
    limits: { cpus: 1, memoryBytes: 256 * 1024 * 1024, maxProcesses: 16 },
    onStdout: (c) => out.push(c),
    onStderr: (c) => err.push(c),
  });
  await result.dispose();
  return {
    exitCode: result.exitCode,
    stdout: Buffer.concat(out).toString(),
    stderr: Buffer.concat(err).toString(),
  };
}

const autogroups = existsSync('/proc/self/autogroup');
const niceOf = 'cut -d" " -f19 /proc/$$/stat';

describe.runIf(process.getuid?.() === 0 && availableParallelism() > 1)('job priority (a root runner)', () => {
  it('starts a job, and every process it starts, at the runner’s job priority', async () => {
    expect(caps.jobNice).toBe(-20);
    const { executor } = await createSandboxExecutor(caps, {
      workDir: join(dir, 'work'),
      log: pino({ level: 'silent' }),
    });
    const { exitCode, stdout } = await job(executor, `${niceOf}; sh -c '${niceOf}'`);
    expect(exitCode).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(['-20', '-20']);
  });

  it.runIf(autogroups)(
    'gives the job’s session the same priority against other sessions (autogroups)',
    async () => {
      const { executor } = await createSandboxExecutor(caps, {
        workDir: join(dir, 'work'),
        log: pino({ level: 'silent' }),
      });
      const { exitCode, stdout } = await job(executor, 'cat /proc/self/autogroup');
      expect(exitCode).toBe(0);
      expect(stdout).toMatch(/^\/autogroup-\d+ nice -20$/m);
    },
  );

  it('a job cannot raise its own priority above what the runner gives it', async () => {
    const { executor } = await createSandboxExecutor(
      { ...caps, jobNice: undefined },
      { workDir: join(dir, 'work'), log: pino({ level: 'silent' }) },
    );
    const { stdout, stderr } = await job(
      executor,
      `renice -n -10 -p $$; echo "rc=$?"; ${niceOf}; echo -10 > /proc/self/autogroup; echo "rc=$?"; cat /proc/self/autogroup`,
    );
    expect(stderr).toMatch(/Permission denied/);
    const lines = stdout.trim().split('\n');
    // Left at the runner's own value.
    expect(lines.slice(0, 2)).toEqual(['rc=1', String(getPriority())]);
    if (autogroups) {
      expect(lines[2]).not.toBe('rc=0');
      expect(lines[3]).toMatch(/ nice 0$/);
    }
  });

  it('a job has no controlling terminal to inject input into, without a session of bubblewrap’s', async () => {
    const { executor } = await createSandboxExecutor(caps, {
      workDir: join(dir, 'work'),
      log: pino({ level: 'silent' }),
    });
    const { stdout, stderr } = await job(executor, 'echo x > /dev/tty; echo "rc=$?"');
    expect(stdout.trim()).toBe('rc=1');
    expect(stderr).toMatch(/No such device or address/);
  });
});
