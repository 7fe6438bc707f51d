import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLayer, busyboxEntries } from '../../../test/helpers/oci-image.js';
import { unpackImage } from '../image/unpack.js';
import { BwrapExecutor } from './bwrap.js';
import type { RunOptions } from './executor.js';
import { probeHost } from './probe.js';
import { SCRATCH_SLACK_BYTES, unmountStale } from './sandbox-scratch.js';

// Mounting needs root: the runner's mounted scratch is a root runner's.
const root = process.getuid?.() === 0;
const MiB = 1024 * 1024;

let dir: string;
let rootfs: string;
let scratchRoot: string;

beforeAll(async () => {
  // A job id and a recognisable work dir in the host paths, as a runner's jobs/<id>/rootfs has them.
  dir = await mkdtemp(join(tmpdir(), 'benchline-scratch-workdir-'));
  const layer = join(dir, 'layer.tar.gz');
  await writeFile(
    layer,
    buildLayer([
      ...busyboxEntries(),
      { type: 'dir', path: 'bench/' },
      { type: 'file', path: 'bench/input.txt', content: 'from the image\n' },
    ]).blob,
  );
  rootfs = join(dir, 'jobs', 'job-0f3c2a', 'rootfs');
  await unpackImage([{ path: layer }], rootfs);
  scratchRoot = join(dir, 'scratch');
  mkdirSync(scratchRoot);
});

afterAll(async () => {
  await unmountStale(scratchRoot);
  await rm(dir, { recursive: true, force: true });
});

async function exec(executor: BwrapExecutor, script: string, extra: Partial<RunOptions> = {}) {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const result = await executor.run({
    rootfs,
    argv: ['/bin/sh', '-c', script],
    env: { PATH: '/bin' },
    workingDir: '/bench',
    network: false,
    timeoutMs: 30_000,
    onStdout: (c) => stdout.push(c),
    onStderr: (c) => stderr.push(c),
    ...extra,
  });
  return { result, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}

const scratchMounts = () =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.includes(scratchRoot));

describe.runIf(root)('mounted scratch (a root runner)', () => {
  // Built once beforeAll has made the scratch root.
  let mounted: BwrapExecutor;
  let hostDirs: BwrapExecutor;
  beforeAll(() => {
    mounted = new BwrapExecutor({ scratchRoot, mountScratch: true });
    hostDirs = new BwrapExecutor({ scratchRoot });
  });

  it('shows the sandbox no host path: not in mountinfo, not in pid 1', async () => {
    const script =
      'cat /proc/self/mountinfo /proc/1/mountinfo; /bin/busybox tr "\\0" " " < /proc/1/cmdline; echo; cat /proc/cmdline';
    const { result, stdout } = await exec(mounted, script, { limits: { diskBytes: 16 * MiB } });
    await result.dispose();
    expect(result.exitCode).toBe(0);
    expect(stdout).toContain(' / / ro,');
    expect(stdout).not.toContain(dir);
    expect(stdout).not.toContain('job-0f3c2a');
    expect(stdout).not.toMatch(/benchline-sandbox-/);
    // The same probe on host directories finds them: this is what the mounts hide.
    const bare = await exec(hostDirs, script);
    await bare.result.dispose();
    expect(bare.stdout).toContain(dir);
  });

  it('holds a burst of writes at the disk limit with no watchdog at all (the tmpfs is hard)', async () => {
    const limit = 32 * MiB;
    // Four writers at once, each under RLIMIT_FSIZE's per-file limit, 80 MiB together, in both writable
    // places, faster than any poll; then what the job holds.
    const script =
      'for f in /tmp/a /tmp/b /bench/c /bench/d; do /bin/busybox dd if=/dev/zero of=$f bs=1M count=20 2>/dev/null & done; wait; ' +
      '/bin/busybox du -sk /tmp /bench | /bin/busybox awk \'{s+=$1} END {print "held", s}\'';
    const unwatched = new BwrapExecutor({ scratchRoot, mountScratch: true, watchdog: false });
    const { result, stdout } = await exec(unwatched, script, { limits: { diskBytes: limit } });
    await result.dispose();
    const held = Number(/held (\d+)/.exec(stdout)?.[1]) * 1024;
    console.log(`burst of 80 MiB against a 32 MiB disk limit: ${(held / MiB).toFixed(1)} MiB held`);
    expect(held).toBeGreaterThan(limit / 2);
    // du also counts the directories' own blocks: a few KiB.
    expect(held).toBeLessThanOrEqual(limit + SCRATCH_SLACK_BYTES + 64 * 1024);
    // Host directories (the watchdog's alone) take the whole burst.
    const bare = await exec(new BwrapExecutor({ scratchRoot, watchdog: false }), script, {
      limits: { diskBytes: limit },
    });
    await bare.result.dispose();
    expect(Number(/held (\d+)/.exec(bare.stdout)?.[1]) * 1024).toBeGreaterThan(2 * limit);
  });

  it('keeps what the job wrote readable after it ends, the image unchanged, and unmounts on dispose', async () => {
    const { result } = await exec(
      mounted,
      'echo out > /tmp/t.txt; echo mine > /bench/w.txt; echo changed >> /bench/input.txt',
      { limits: { diskBytes: 16 * MiB } },
    );
    expect(result.exitCode).toBe(0);
    expect(scratchMounts().length).toBe(2);
    expect(await result.readFiles(['/tmp/t.txt', 'w.txt', 'input.txt'])).toEqual({
      '/tmp/t.txt': 'out\n',
      'w.txt': 'mine\n',
      'input.txt': 'from the image\nchanged\n',
    });
    // The writes went to the overlay's upper layer, not into the unpacked image.
    expect(readFileSync(join(rootfs, 'bench', 'input.txt'), 'utf8')).toBe('from the image\n');
    expect(existsSync(join(rootfs, 'bench', 'w.txt'))).toBe(false);
    await result.dispose();
    expect(scratchMounts()).toEqual([]);
    expect(execFileSync('ls', [scratchRoot]).toString()).toBe('');
  });

  it('runs a working directory under /tmp and a non-root image user', async () => {
    const { result, stdout } = await exec(mounted, 'pwd; id -u; echo x > here && cat here', {
      workingDir: '/tmp/work/dir',
      user: '1000:1000',
      limits: { diskBytes: 16 * MiB },
    });
    await result.dispose();
    expect(result.exitCode).toBe(0);
    expect(stdout).toBe('/tmp/work/dir\n1000\nx\n');
  });

  it('unmounts what a killed runner left mounted', async () => {
    const { result } = await exec(mounted, 'true', { limits: { diskBytes: 16 * MiB } });
    expect(scratchMounts().length).toBe(2);
    await unmountStale(scratchRoot);
    expect(scratchMounts()).toEqual([]);
    await result.dispose().catch(() => {});
  });

  it('names a failed allocation under the memory limit OUT_OF_MEMORY, and leaves other failures alone', async () => {
    const caps = await probeHost();
    const limited = new BwrapExecutor({ scratchRoot, mountScratch: true, capabilities: caps });
    // busybox's dd allocates its block up front: 1 GiB against 256 MiB (512 MiB of address space).
    const big = await exec(limited, '/bin/busybox dd if=/dev/zero of=/dev/null bs=1G count=1', {
      limits: { memoryBytes: 256 * MiB },
    });
    await big.result.dispose();
    expect(big.stderr).toMatch(/out of memory|cannot allocate/i);
    expect(big.result.limitExceeded?.reason).toBe('OUT_OF_MEMORY');
    expect(big.result.limitExceeded?.message).toContain('256 MiB');
    const plain = await exec(limited, 'echo failing >&2; exit 3', { limits: { memoryBytes: 256 * MiB } });
    await plain.result.dispose();
    expect(plain.result.exitCode).toBe(3);
    expect(plain.result.limitExceeded).toBeUndefined();
  });
});
