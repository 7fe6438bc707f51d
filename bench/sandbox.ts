// Sandbox cost and fidelity: what bubblewrap adds to a job, and whether a benchmark measured inside it
// reads the same as on the bare host. `npx tsx bench/sandbox.ts`; also run by bench/run-all.ts.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { BwrapExecutor } from '../src/runner/executors/bwrap.js';
import type { Executor, RunOptions } from '../src/runner/executors/executor.js';
import { HostExecutor } from '../src/runner/executors/host.js';
import { probeHost } from '../src/runner/executors/probe.js';
import { unpackImage } from '../src/runner/image/unpack.js';
import { buildLayer, busyboxEntries } from '../test/helpers/oci-image.js';
import type { Figure } from './_shared.js';

const OVERHEAD_RUNS = 150;
const FIDELITY_RUNS = 30;
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

/** Microseconds between the two adjtimex readings the workload prints around its CPU-bound part. */
function selfTimedMs(stdout: string): number {
  const sec = [...stdout.matchAll(/time\.tv_sec:\s+(\d+)/g)].map((m) => Number(m[1]));
  const usec = [...stdout.matchAll(/time\.tv_usec:\s+(\d+)/g)].map((m) => Number(m[1]));
  if (sec.length !== 2 || usec.length !== 2) throw new Error(`unexpected workload output: ${stdout}`);
  return (sec[1] - sec[0]) * 1000 + (usec[1] - usec[0]) / 1000;
}

export async function run(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'benchline-bench-sandbox-'));
  try {
    const caps = await probeHost();
    if (!caps.bwrap.works) throw new Error(`bwrap does not work here: ${caps.bwrap.error}`);
    const scratchRoot = join(dir, 'scratch');
    await mkdir(scratchRoot);
    // No limit prefix on either side: both run the workload the same way, unpinned.
    const bwrap = new BwrapExecutor({ userNamespaces: caps.userNamespaces, scratchRoot });
    const host = new HostExecutor({ scratchRoot });

    const layerPath = join(dir, 'layer.tar.gz');
    await writeFile(
      layerPath,
      buildLayer([...busyboxEntries(), { type: 'symlink', path: 'bin/sha256sum', target: 'busybox' }]).blob,
    );
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

    // Fidelity: the workload times its own CPU-bound part, as a benchmark harness does.
    const script = (busybox: string, file: string) =>
      `${busybox} adjtimex | ${busybox} grep tv_; ${busybox} sha256sum ${file} >/dev/null; ${busybox} adjtimex | ${busybox} grep tv_`;
    const bwrapArgv = ['/bin/busybox', 'sh', '-c', script('/bin/busybox', '/data/input')];
    const hostArgv = ['/usr/bin/busybox', 'sh', '-c', script('/usr/bin/busybox', dataHost)];
    for (let i = 0; i < 3; i++) {
      await inBwrap(bwrapArgv);
      await onHost(hostArgv);
    }
    const bwrapCpu: number[] = [];
    const hostCpu: number[] = [];
    for (let i = 0; i < FIDELITY_RUNS; i++) {
      bwrapCpu.push(selfTimedMs((await inBwrap(bwrapArgv)).stdout));
      hostCpu.push(selfTimedMs((await onHost(hostArgv)).stdout));
    }

    const overhead = median(bwrapTrue) - median(hostTrue);
    const meanDiff = (mean(bwrapCpu) - mean(hostCpu)) / mean(hostCpu);
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
        name: `sha256sum 16 MiB, mean of ${FIDELITY_RUNS} (self-timed)`,
        value: mean(bwrapCpu),
        unit: 'ms',
        goal: 'means within 1%',
        anchor: mean(hostCpu),
        anchorName: 'bare host',
        ratio: mean(bwrapCpu) / mean(hostCpu),
      },
      {
        name: 'mean difference bwrap vs bare host',
        value: meanDiff * 100,
        unit: '%',
        goal: '|Δ| ≤ 1%',
      },
      {
        name: 'coefficient of variation',
        value: cv(bwrapCpu) * 100,
        unit: '%',
        goal: '≤ 1.1× bare host',
        anchor: cv(hostCpu) * 100,
        anchorName: 'bare host',
        ratio: cv(bwrapCpu) / cv(hostCpu),
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
