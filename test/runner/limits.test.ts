import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRunner, startRunner } from '../../src/runner/main.js';
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

// The probes (docs/security.md), each as an attacker's image through a real server and a bwrap
// runner, and each followed by a normal job on the same runner.
const MiB = 1024 * 1024;
const root = process.getuid?.() === 0;

let world: World;
let runner: RunningRunner;
let tight: string;
let workDir: string;

beforeAll(async () => {
  world = await startWorld();
  tight = `tight-${world.specs.closed}`;
  await world.admin.data('mutation ($input: CreateSpecInput!) { createSpec(input: $input) { id } }', {
    input: { name: tight, slug: tight, cpu: 1, memory: 256 * MiB, disk: 64 * MiB, processes: 32 },
  });
  const runnerKey = await world.admin.data<{ createRunner: { key: string } }>(
    'mutation ($n: String!, $s: [String!]!) { createRunner(name: $n, specs: $s) { key } }',
    { n: `limits-${tight}`, s: [tight] },
  );
  workDir = join(world.dir, 'runner');
  runner = await startRunner({
    serverUrl: world.server.url,
    key: runnerKey.createRunner.key,
    workDir,
    claimWaitSeconds: 10,
    heartbeatIntervalMs: 500,
  });
});

afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
});

const text = (b: Buffer) => b.toString('utf8');
/** The working directory is writable: the disk limit's other place besides /tmp. */
const CONFIG = { Cmd: ['/bench/run.sh'], WorkingDir: '/bench' };

async function runScript(script: string, extra: { timeout?: number; filePaths?: string[] } = {}) {
  const image = await pushImage(world, scriptLayers(script), CONFIG);
  const { jobId } = await submit(world, { image, spec: tight, timeout: extra.timeout ?? 60, ...extra });
  const job = await waitForJob(world, jobId);
  const log = await storedLog(world, jobId);
  return { job, jobId, stdout: text(log.stdout), stderr: text(log.stderr) };
}

async function expectHealthyRunner() {
  const { job } = await runScript(`echo '${bmf('after', 1)}'\n`);
  expect(job).toMatchObject({ status: 'PROCESSED', exitCode: 0 });
}

describe('runner: the spec limits are limits', () => {
  it('kills a job holding more memory than its spec allows: OUT_OF_MEMORY, no result', async () => {
    // 3 × 300 MiB buffers, each filled: 900 MiB touched against a 256 MiB spec.
    const { job } = await runScript(
      'for i in 1 2 3; do /bin/busybox dd if=/dev/zero of=/dev/null bs=300M count=20 2>/dev/null & done\nwait\n' +
        `echo '${bmf('m', 1)}'\n`,
    );
    expect(job.status).toBe('FAILED');
    expect(job.failureReason).toBe('OUT_OF_MEMORY');
    expect(job.failureMessage).toContain('256 MiB');
    expect(job.outputs).toEqual([]);
    await expectHealthyRunner();
  });

  it('stops a job writing past its disk limit: DISK_LIMIT', async () => {
    // 3 × 40 MiB in the working directory and /tmp against a 64 MiB spec.
    const { job } = await runScript(
      'for f in a b; do /bin/busybox dd if=/dev/zero of=/bench/$f bs=1M count=40 2>/dev/null; done\n' +
        '/bin/busybox dd if=/dev/zero of=/tmp/c bs=1M count=40 2>/dev/null\n' +
        `echo '${bmf('d', 1)}'\n`,
    );
    expect(job.status).toBe('FAILED');
    expect(job.failureReason).toBe('DISK_LIMIT');
    expect(job.failureMessage).toContain('64 MiB');
    await expectHealthyRunner();
  });

  it('stops one file at the disk limit (RLIMIT_FSIZE) and names the limit', async () => {
    const { job, stdout } = await runScript(
      '/bin/busybox dd if=/dev/zero of=/bench/big bs=1M count=200 2>/dev/null\n' +
        '/bin/busybox stat -c "size %s" /bench/big\n',
    );
    expect(stdout).toContain(`size ${64 * MiB}`);
    expect(job.failureReason).toBe('DISK_LIMIT');
  });

  it('names one allocation beyond the memory limit OUT_OF_MEMORY (a C program whose malloc is refused)', async () => {
    // Refused by RLIMIT_AS before a byte is touched, so no watchdog sample ever sees it: the program's
    // own report of the failure, with its failed exit, names the limit.
    const source = join(world.dir, 'alloc.c');
    const binary = join(world.dir, 'alloc');
    writeFileSync(
      source,
      '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n' +
        'int main(int c, char **v) { size_t n = strtoull(v[1], 0, 10) << 20; char *p = malloc(n);\n' +
        '  if (!p) { perror("malloc"); return 1; }\n  memset(p, 1, n); printf("touched %zu\\n", n); return 0; }\n',
    );
    execFileSync('cc', ['-O2', '-static', '-o', binary, source]);
    const extra = [
      { type: 'file' as const, path: 'bench/alloc', content: readFileSync(binary), mode: 0o755 },
    ];
    const image = await pushImage(world, scriptLayers('exec /bench/alloc 1024\n', extra), CONFIG);
    const { jobId } = await submit(world, { image, spec: tight, timeout: 60 });
    const job = await waitForJob(world, jobId);
    expect(text((await storedLog(world, jobId)).stderr)).toContain('malloc: Cannot allocate memory');
    expect(job.status).toBe('FAILED');
    expect(job.failureReason).toBe('OUT_OF_MEMORY');
    expect(job.failureMessage).toContain('256 MiB');
    expect(job.outputs).toEqual([]);
  });

  it.runIf(root)(
    'holds a burst of writes at the disk limit however fast it comes, and names it',
    async () => {
      // Four writers at once, each under the per-file limit, 160 MiB together against 64 MiB: the
      // scratch tmpfs refuses the bytes past the limit (ENOSPC) before any poll of the watchdog, which
      // then names the limit. (sandbox-scratch.test.ts counts the bytes held with no watchdog at all.)
      const { job, stderr } = await runScript(
        'for f in /tmp/a /tmp/b /bench/c /bench/d; do /bin/busybox dd if=/dev/zero of=$f bs=1M count=40 & done\nwait\n' +
          `echo '${bmf('b', 1)}'\n`,
      );
      expect(stderr).toContain('No space left on device');
      expect(job.status).toBe('FAILED');
      expect(job.failureReason).toBe('DISK_LIMIT');
      await expectHealthyRunner();
    },
  );

  it.runIf(root)('ends a fork bomb: PROCESS_LIMIT', async () => {
    const { job } = await runScript('f() { f | f & }\nf\n/bin/busybox sleep 20\n');
    expect(job.status).toBe('FAILED');
    expect(job.failureReason).toBe('PROCESS_LIMIT');
    expect(job.failureMessage).toContain('32 processes');
    await expectHealthyRunner();
  });

  it.runIf(root)('shows the limits inside the sandbox as rlimits', async () => {
    const { stdout } = await runScript(
      'ulimit -u; ulimit -v; ulimit -f; ulimit -c\n' + `echo '${bmf('u', 1)}'\n`,
    );
    const [nproc, as, fsize, core] = stdout.split('\n');
    expect(Number(nproc)).toBe(32 + 3);
    expect(Number(as)).toBe((2 * 256 * MiB) / 1024);
    expect(Number(fsize)).toBe((64 * MiB) / 512);
    expect(core).toBe('0');
  });

  it('keeps /dev read-only and /dev/shm small: no unmetered memory there', async () => {
    const { stdout } = await runScript(
      'echo x > /dev/junk 2>/dev/null && echo DEV-WRITABLE\n' +
        '/bin/busybox dd if=/dev/zero of=/dev/shm/x bs=1M count=100 2>/dev/null\n' +
        '/bin/busybox stat -c "shm %s" /dev/shm/x\n' +
        `echo '${bmf('s', 1)}'\n`,
      {},
    );
    expect(stdout).not.toContain('DEV-WRITABLE');
    const shm = Number(/shm (\d+)/.exec(stdout)?.[1]);
    expect(shm).toBeLessThanOrEqual(64 * MiB);
  });

  it.runIf(root)(
    'runs the job as an unprivileged host uid: a setuid copy is no root file on the host',
    async () => {
      // The job leaves a setuid copy of busybox in its working directory and waits; the test looks at it
      // from the host while the job still runs.
      const image = await pushImage(
        world,
        scriptLayers(
          '/bin/busybox cp /bin/busybox /bench/suid && /bin/busybox chmod 4755 /bench/suid\n' +
            'cat /proc/self/mountinfo | /bin/busybox grep -E " /(bench|tmp) " >&2\n' +
            '/bin/busybox sleep 3\n' +
            `echo '${bmf('x', 1)}'\n`,
        ),
        CONFIG,
      );
      const { jobId } = await submit(world, { image, spec: tight, timeout: 60 });
      let found: string | undefined;
      const jobs = join(workDir, 'jobs');
      const scratch = join(workDir, 'scratch');
      // In the run's scratch (a root runner's overlay), or in the image tree (host directories).
      const candidates = () => [
        ...readdirSync(scratch).map((dir) => join(scratch, dir, 'root', 'bench', 'suid')),
        ...readdirSync(jobs).map((dir) => join(jobs, dir, 'rootfs', 'bench', 'suid')),
      ];
      for (let i = 0; i < 100 && !found; i++) {
        for (const path of candidates()) {
          if (statSync(path, { throwIfNoEntry: false })?.mode && statSync(path).mode & 0o4000) found = path;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toBeDefined();
      const info = statSync(found!);
      expect(info.uid).not.toBe(0);
      expect(info.uid).toBeGreaterThanOrEqual(1_500_000_000);
      // The runner's directories: no other host user may enter them.
      expect(statSync(workDir).mode & 0o007).toBe(0);
      expect(statSync(jobs).mode & 0o007).toBe(0);
      expect((await waitForJob(world, jobId)).status).toBe('PROCESSED');
      const mounts = text((await storedLog(world, jobId)).stderr);
      for (const line of mounts.split('\n').filter(Boolean)) expect(line).toMatch(/nosuid,nodev/);
    },
  );

  it('hides the host: name, kernel command line, paths and job id in pid 1', async () => {
    const { job, jobId, stdout } = await runScript(
      'echo "host $(cat /proc/sys/kernel/hostname)"\n' +
        'echo "cmdline [$(cat /proc/cmdline)]"\n' +
        'echo "pid1 $(cat /proc/1/cmdline | /bin/busybox tr "\\0" " ")"\n' +
        'cat /proc/self/mountinfo\n',
    );
    expect(job.exitCode).toBe(0);
    expect(stdout).toContain('host benchline\n');
    expect(stdout).toContain('cmdline []\n');
    const pid1 = /pid1 (.*)/.exec(stdout)?.[1] ?? '';
    expect(pid1).toContain('bwrap --args 3');
    expect(pid1).not.toContain(world.dir);
    // Neither pid 1 nor the mount table: the runner's work dir is nowhere in what the job reads.
    expect(stdout).toContain(' / / ro,');
    expect(stdout).not.toContain(world.dir);
    expect(stdout).not.toContain(jobId);
  });
});
