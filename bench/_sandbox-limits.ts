// What enforcing the spec's limits costs a job: `true` through the runner's own sandbox (the one factory:
// sandbox uid, rlimits, pinning, sized /dev/shm, a root runner's mounted scratch tmpfs and overlay, the
// watchdog with its disk baseline) against the same bubblewrap sandbox without limits, in the same run
// (ABBA), and the runner's CPU spent watching a running job. Part of bench/sandbox.ts;
// `npx tsx bench/sandbox.ts --limits-only` runs this part alone.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { BwrapExecutor } from '../src/runner/executors/bwrap.js';
import { describeEnforcement } from '../src/runner/executors/enforcement.js';
import type { Executor, ResourceLimits } from '../src/runner/executors/executor.js';
import { probeHost } from '../src/runner/executors/probe.js';
import { unpackImage } from '../src/runner/image/unpack.js';
import { createSandboxExecutor } from '../src/runner/sandbox-executor.js';
import { buildLayer, busyboxEntries } from '../test/helpers/oci-image.js';
import type { Figure } from './_shared.js';

const RUNS = 60;
const REPEATS = 3;
const MiB = 1024 * 1024;
const LIMITS: ResourceLimits = { cpus: 1, memoryBytes: 512 * MiB, diskBytes: 1024 * MiB, maxProcesses: 256 };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function once(executor: Executor, rootfs: string, argv: string[], limits?: ResourceLimits) {
  const started = performance.now();
  const result = await executor.run({
    rootfs,
    argv,
    env: { PATH: '/bin' },
    workingDir: '/work',
    network: false,
    timeoutMs: 60_000,
    limits,
    onStdout: () => {},
    onStderr: () => {},
  });
  await result.dispose();
  if (result.exitCode !== 0 || result.limitExceeded) throw new Error(`run failed: ${JSON.stringify(result)}`);
  return performance.now() - started;
}

export async function limitsOverhead(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'benchline-bench-limits-'));
  // Searchable by the sandboxes' uids, as a runner's work dir is.
  await chmod(dir, 0o711);
  try {
    const caps = await probeHost();
    const scratchRoot = join(dir, 'scratch');
    await mkdir(scratchRoot);
    const layerPath = join(dir, 'layer.tar.gz');
    await writeFile(layerPath, buildLayer(busyboxEntries()).blob);
    const rootfs = join(dir, 'rootfs');
    await unpackImage([{ path: layerPath }], rootfs);

    const plain = new BwrapExecutor({ userNamespaces: caps.userNamespaces, scratchRoot, watchdog: false });
    const { executor: limited, plan } = await createSandboxExecutor(caps, {
      workDir: dir,
      log: pino({ level: 'silent' }),
    });
    process.stderr.write(`limits on this host:\n${describeEnforcement(plan)}\n`);
    for (let i = 0; i < 5; i++) {
      await once(plain, rootfs, ['/bin/true']);
      await once(limited, rootfs, ['/bin/true'], LIMITS);
    }
    // ABBA within each repeat; the spread is over the repeats' medians.
    const diffs: number[] = [];
    const plainMedians: number[] = [];
    const limitedMedians: number[] = [];
    const loadBefore = loadavg()[0];
    for (let r = 0; r < REPEATS; r++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        if (i % 2 === 0) {
          a.push(await once(plain, rootfs, ['/bin/true']));
          b.push(await once(limited, rootfs, ['/bin/true'], LIMITS));
        } else {
          b.push(await once(limited, rootfs, ['/bin/true'], LIMITS));
          a.push(await once(plain, rootfs, ['/bin/true']));
        }
      }
      plainMedians.push(median(a));
      limitedMedians.push(median(b));
      diffs.push(median(b) - median(a));
    }
    const loadAfter = loadavg()[0];

    // The watchdog's CPU: the runner process's CPU time over a 2 s job, with limits minus without.
    const cpuOver = async (executor: Executor, limits?: ResourceLimits) => {
      const before = process.cpuUsage();
      await once(executor, rootfs, ['/bin/sleep', '2'], limits);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    const watchCpu: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const without = await cpuOver(plain);
      const withLimits = await cpuOver(limited, LIMITS);
      watchCpu.push((withLimits - without) / 2);
    }

    const sorted = [...diffs].sort((x, y) => x - y);
    return [
      {
        name: `limits' overhead per run (\`true\`, median of ${RUNS} ABBA, median of ${REPEATS} repeats; spread ${sorted[0].toFixed(1)}…${sorted[sorted.length - 1].toFixed(1)} ms)`,
        value: median(diffs),
        unit: 'ms',
        goal: 'informational (≤ 10 ms sandbox budget)',
      },
      {
        name: '`true` through bwrap with every limit (median of repeats)',
        value: median(limitedMedians),
        unit: 'ms',
        goal: 'informational',
        anchor: median(plainMedians),
        anchorName: 'bwrap without limits',
        ratio: median(limitedMedians) / median(plainMedians),
      },
      {
        name: `runner CPU watching a running job (ms per second of job; spread ${Math.min(...watchCpu).toFixed(2)}…${Math.max(...watchCpu).toFixed(2)})`,
        value: median(watchCpu),
        unit: 'ms/s',
        goal: 'informational',
      },
      {
        name: 'load average (1 min) before / after',
        value: loadBefore,
        unit: '',
        goal: 'informational',
        anchor: loadAfter,
        anchorName: 'after',
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
