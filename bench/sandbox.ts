// Sandbox cost and fidelity: what bubblewrap adds to a job, whether a benchmark measured inside it reads
// the same as on the bare host, and what the spec's limits add (anchor: the sandbox without limits, same
// run). `npx tsx bench/sandbox.ts [--limits-only]`; also run by bench/run-all.ts.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { BwrapExecutor } from '../src/runner/executors/bwrap.js';
import type { Executor, RunOptions } from '../src/runner/executors/executor.js';
import { HostExecutor } from '../src/runner/executors/host.js';
import {
  benchmarkCores,
  limitPrefix,
  pinToRunnerCores,
  runnerCores,
} from '../src/runner/executors/limits.js';
import { findExecutable, probeHost } from '../src/runner/executors/probe.js';
import { unpackImage } from '../src/runner/image/unpack.js';
import { buildLayer, busyboxEntries } from '../test/helpers/oci-image.js';
import { limitsOverhead } from './_sandbox-limits.js';
import type { Figure } from './_shared.js';

const execFileAsync = promisify(execFile);

const OVERHEAD_RUNS = 150;
const FIDELITY_RUNS = 30;
const FIDELITY_WARMUP = 3;
const FIDELITY_PASSES = 4;
const DATA_BYTES = 16 * 1024 * 1024;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const cv = (xs: number[]) => {
  const mu = mean(xs);
  const variance = xs.reduce((a, x) => a + (x - mu) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(variance) / mu;
};

async function exec(executor: Executor, options: Omit<RunOptions, 'onStdout' | 'onStderr'>) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const started = performance.now();
  const result = await executor.run({
    ...options,
    onStdout: (c) => out.push(c),
    onStderr: (c) => err.push(c),
  });
  // The job runner awaits dispose() before the next iteration, so it is part of what a run costs.
  await result.dispose();
  const wallMs = performance.now() - started;
  if (result.exitCode !== 0) {
    throw new Error(
      `${executor.name} ${options.argv.join(' ')} exited ${result.exitCode}: ${Buffer.concat(err)}`,
    );
  }
  // processMs is spawn to exit as the supervisor saw it; the rest is the executor's own preparation,
  // output draining and cleanup.
  return { wallMs, processMs: result.durationMs, stdout: Buffer.concat(out).toString() };
}

/** Builds the fidelity workload, a static binary, so the same file runs in the sandbox and on the host. */
async function buildWorkload(out: string): Promise<void> {
  const cc = await findExecutable('cc');
  if (!cc)
    throw new Error(
      'the fidelity workload needs a C compiler with a static libc (cc, e.g. gcc and libc6-dev)',
    );
  await execFileAsync(cc, [
    '-O2',
    '-static',
    '-o',
    out,
    fileURLToPath(new URL('./_sandbox-workload.c', import.meta.url)),
  ]);
}

/** The workload's own timing of its CPU-bound part: wall time (monotonic clock) and the CPU time it used. */
function selfTimed(stdout: string): { wallMs: number; cpuMs: number; digest: string } {
  const m = /^wall_ns (\d+) cpu_ns (\d+) digest (\w+)$/m.exec(stdout);
  if (!m) throw new Error(`unexpected workload output: ${stdout}`);
  return { wallMs: Number(m[1]) / 1e6, cpuMs: Number(m[2]) / 1e6, digest: m[3] };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 90% percentile bootstrap interval of a statistic of two independent samples. */
function bootstrap(
  random: () => number,
  a: number[],
  b: number[],
  statistic: (a: number[], b: number[]) => number,
  resamples = 4000,
): [number, number] {
  const resample = (xs: number[]) => xs.map(() => xs[Math.floor(random() * xs.length)]);
  const values = Array.from({ length: resamples }, () => statistic(resample(a), resample(b))).sort(
    (x, y) => x - y,
  );
  return [values[Math.floor(resamples * 0.05)], values[Math.floor(resamples * 0.95)]];
}

export async function run(): Promise<Figure[]> {
  if (process.argv.includes('--limits-only')) return limitsOverhead();
  return [...(await sandboxOverhead()), ...(await limitsOverhead())];
}

async function sandboxOverhead(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'benchline-bench-sandbox-'));
  try {
    const caps = await probeHost();
    if (!caps.bwrap.works) throw new Error(`bwrap does not work here: ${caps.bwrap.error}`);
    const scratchRoot = join(dir, 'scratch');
    await mkdir(scratchRoot);
    // The overhead runs get no limit prefix on either side (both would pay it alike; docs/runner.md).
    const bwrap = new BwrapExecutor({ userNamespaces: caps.userNamespaces, scratchRoot });
    const host = new HostExecutor({ scratchRoot });

    const layerPath = join(dir, 'layer.tar.gz');
    await writeFile(layerPath, buildLayer(busyboxEntries()).blob);
    // Per-job rootfs from cached blobs: what each job pays before its sandbox starts.
    const unpackMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      await unpackImage([{ path: layerPath }], join(dir, `rootfs-${i}`));
      unpackMs.push(performance.now() - started);
    }
    const rootfs = join(dir, 'rootfs-0');
    await mkdir(join(rootfs, 'data'));
    const dataHost = join(rootfs, 'data', 'input');
    await writeFile(dataHost, randomBytes(DATA_BYTES));

    const base = { env: { PATH: '/bin:/usr/bin' }, network: false, timeoutMs: 60_000 };
    const inBwrap = (argv: string[]) => exec(bwrap, { ...base, rootfs, argv, workingDir: '/' });
    const onHost = (argv: string[]) => exec(host, { ...base, rootfs: '/', argv, workingDir: dir });

    // Overhead: a job that does nothing, alternating executors so drift in the machine hits both alike,
    // in ABBA order: the kernel tears a sandbox's namespaces down after bwrap exits, and whichever run
    // always came next would pay for that.
    for (let i = 0; i < 5; i++) {
      await inBwrap(['/bin/true']);
      await onHost(['/usr/bin/busybox', 'true']);
    }
    const loadBefore = loadavg()[0];
    const bwrapTrue: number[] = [];
    const hostTrue: number[] = [];
    const bwrapProcess: number[] = [];
    const hostProcess: number[] = [];
    const sandboxed = async () => {
      const r = await inBwrap(['/bin/true']);
      bwrapTrue.push(r.wallMs);
      bwrapProcess.push(r.processMs);
    };
    const bare = async () => {
      const r = await onHost(['/usr/bin/busybox', 'true']);
      hostTrue.push(r.wallMs);
      hostProcess.push(r.processMs);
    };
    for (let i = 0; i < OVERHEAD_RUNS; i++) {
      if (i % 2 === 0) {
        await sandboxed();
        await bare();
      } else {
        await bare();
        await sandboxed();
      }
    }
    const loadAfter = loadavg()[0];

    // Fidelity: one CPU-bound program, timed by itself around its CPU-bound part (process start and
    // reading the input are outside), as a benchmark harness times its own loop. The same static binary
    // and the same input file (one inode, one set of page-cache pages) on both sides.
    await buildWorkload(join(rootfs, 'bin', 'sha256-passes'));
    const bwrapArgv = ['/bin/sha256-passes', '/data/input', String(FIDELITY_PASSES)];
    const hostArgv = [join(rootfs, 'bin', 'sha256-passes'), dataHost, String(FIDELITY_PASSES)];
    // Both sides as the runner runs a job: the workload pinned to one benchmark core by the runner's own
    // limit prefix (`taskset -c 1`; the bare host gets the very same prefix, it is still the bare host),
    // and the runner, this process with all its threads, on the other core, so that its timers, garbage
    // collection and output reading never take the benchmark core from the workload.
    const limits = { cpus: 1 };
    const bwrapPinned = new BwrapExecutor({
      userNamespaces: caps.userNamespaces,
      scratchRoot,
      capabilities: caps,
    });
    const hostPinned = new HostExecutor({ scratchRoot, capabilities: caps });
    const pinned = limitPrefix(limits, caps).length > 0;
    const placement = pinned
      ? `workload on core ${benchmarkCores(caps.cores, limits.cpus).join(',')}, runner on core ${runnerCores(caps.cores).join(',')}`
      : 'unpinned: one core or no taskset';
    const digests = new Set<string>();
    const workload = async (executor: Executor) => {
      const { stdout } = await (executor === bwrapPinned
        ? exec(bwrapPinned, { ...base, rootfs, argv: bwrapArgv, workingDir: '/', limits })
        : exec(hostPinned, { ...base, rootfs: '/', argv: hostArgv, workingDir: dir, limits }));
      const t = selfTimed(stdout);
      // Same program, same input: every run on either side must compute the same digest.
      digests.add(t.digest);
      if (digests.size > 1) throw new Error(`the workload's digest differs between runs: ${[...digests]}`);
      return t;
    };
    const bwrapWall: number[] = [];
    const hostWall: number[] = [];
    const bwrapCpu: number[] = [];
    const hostCpu: number[] = [];
    const unpin = await pinToRunnerCores(caps);
    let fidelityLoad: number[];
    try {
      // Warm-up pairs (page cache, the binary, the CPU's caches and predictors), not counted.
      for (let i = 0; i < FIDELITY_WARMUP; i++) {
        await workload(bwrapPinned);
        await workload(hostPinned);
      }
      fidelityLoad = [loadavg()[0]];
      // ABBA again, so drift in the machine and the previous run's teardown hit both sides alike.
      for (let i = 0; i < FIDELITY_RUNS; i++) {
        const order = i % 2 === 0 ? [bwrapPinned, hostPinned] : [hostPinned, bwrapPinned];
        for (const executor of order) {
          const t = await workload(executor);
          (executor === bwrapPinned ? bwrapWall : hostWall).push(t.wallMs);
          (executor === bwrapPinned ? bwrapCpu : hostCpu).push(t.cpuMs);
        }
      }
      fidelityLoad.push(loadavg()[0]);
    } finally {
      await unpin();
    }

    const overhead = median(bwrapTrue) - median(hostTrue);
    const meanDiff = (mean(bwrapWall) - mean(hostWall)) / mean(hostWall);
    const random = mulberry32(6);
    const cvRatioCi = bootstrap(random, bwrapWall, hostWall, (b, h) => cv(b) / cv(h));
    const meanDiffCi = bootstrap(random, bwrapWall, hostWall, (b, h) => (mean(b) - mean(h)) / mean(h));
    return [
      {
        name: `per-job sandbox overhead (median of ${OVERHEAD_RUNS}, \`true\`, run + dispose)`,
        value: overhead,
        unit: 'ms',
        goal: '≤ 10 ms',
      },
      {
        name: '`true` through bwrap (median)',
        value: median(bwrapTrue),
        unit: 'ms',
        goal: 'overhead ≤ 10 ms',
        anchor: median(hostTrue),
        anchorName: 'host executor',
        ratio: median(bwrapTrue) / median(hostTrue),
      },
      {
        // Where the overhead is: bubblewrap's process tree (namespaces, mounts, its init) …
        name: 'of which spawn to exit (median, bwrap − host)',
        value: median(bwrapProcess) - median(hostProcess),
        unit: 'ms',
        goal: 'informational',
      },
      {
        // … and the executor's own preparation and cleanup around it.
        name: 'of which executor bookkeeping (median wall − spawn-to-exit, bwrap − host)',
        value:
          median(bwrapTrue.map((w, i) => w - bwrapProcess[i])) -
          median(hostTrue.map((w, i) => w - hostProcess[i])),
        unit: 'ms',
        goal: 'informational',
      },
      {
        // The fastest runs show the cost on a machine with a free core; the median carries the load.
        name: 'per-job sandbox overhead, fastest runs (min bwrap − min host)',
        value: Math.min(...bwrapTrue) - Math.min(...hostTrue),
        unit: 'ms',
        goal: 'informational',
      },
      {
        name: 'load average (1 min) before / after the overhead runs',
        value: loadBefore,
        unit: '',
        goal: 'informational',
        anchor: loadAfter,
        anchorName: 'after',
      },
      {
        name: 'rootfs unpack per job (busybox image, blobs cached, median)',
        value: median(unpackMs),
        unit: 'ms',
        goal: 'informational',
      },
      {
        name: `sha256 of 16 MiB ×${FIDELITY_PASSES} in memory, self-timed wall time, mean of ${FIDELITY_RUNS}`,
        value: mean(bwrapWall),
        unit: 'ms',
        goal: 'means within 1%',
        anchor: mean(hostWall),
        anchorName: 'bare host',
        ratio: mean(bwrapWall) / mean(hostWall),
      },
      {
        name: 'mean difference bwrap vs bare host',
        value: meanDiff * 100,
        unit: '%',
        goal: '|Δ| ≤ 1%',
      },
      {
        name: 'coefficient of variation',
        value: cv(bwrapWall) * 100,
        unit: '%',
        goal: '≤ 1.1× bare host',
        anchor: cv(hostWall) * 100,
        anchorName: 'bare host',
        ratio: cv(bwrapWall) / cv(hostWall),
      },
      {
        // What 30 runs a side can tell apart: even two equally noisy samples of 30 differ in CV by more
        // than 10% about a third of the time.
        name: 'CV ratio, 90% bootstrap interval',
        value: cvRatioCi[0],
        unit: '',
        goal: 'informational',
        anchor: cvRatioCi[1],
        anchorName: 'upper',
      },
      {
        name: 'mean difference, 90% bootstrap interval',
        value: meanDiffCi[0] * 100,
        unit: '%',
        goal: 'informational',
        anchor: meanDiffCi[1] * 100,
        anchorName: 'upper',
      },
      {
        name: 'median difference bwrap vs bare host',
        value: ((median(bwrapWall) - median(hostWall)) / median(hostWall)) * 100,
        unit: '%',
        goal: 'informational',
      },
      {
        // The CPU time the program consumed, which other load on the machine barely touches: whether the
        // sandbox changes the work itself, apart from the wall-time noise.
        name: 'CPU time: mean difference bwrap vs bare host',
        value: ((mean(bwrapCpu) - mean(hostCpu)) / mean(hostCpu)) * 100,
        unit: '%',
        goal: 'informational',
      },
      {
        name: 'CPU time: coefficient of variation',
        value: cv(bwrapCpu) * 100,
        unit: '%',
        goal: 'informational',
        anchor: cv(hostCpu) * 100,
        anchorName: 'bare host',
        ratio: cv(bwrapCpu) / cv(hostCpu),
      },
      {
        name: `load average (1 min) before / after the fidelity runs (${placement})`,
        value: fidelityLoad[0],
        unit: '',
        goal: 'informational',
        anchor: fidelityLoad[1],
        anchorName: 'after',
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  for (const f of await run()) {
    const anchor =
      f.anchor === undefined
        ? ''
        : `  vs ${f.anchor.toFixed(3)} ${f.unit} (${f.anchorName})${f.ratio === undefined ? '' : `, ratio ${f.ratio.toFixed(3)}`}`;
    console.log(`${f.name}: ${f.value.toFixed(3)} ${f.unit}${anchor}  [goal ${f.goal}]`);
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
