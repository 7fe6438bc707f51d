// Claim latency: from submitting a job (createJob + commit + NOTIFY, inside createRun's transaction) to the
// job arriving at an idle runner blocked in the claimJob long-poll over HTTP: the runner's own
// RunnerClient (src/runner/client.ts), t1 when it has parsed the claim's answer. The runner
// waits on the submitting server, so the job is handed to it at commit (docs/queue.md, "Hand-off");
// then, for each event bus (NOTIFY, NATS), on a second server, which the bus's wake-up reaches. Anchor: graphile-worker
// 0.17.3 on the same PostgreSQL in the same run, addJob → task function start, the two taking turns
// of 100 jobs after 100 warm-up jobs each. Run with
// `npx tsx bench/claim-latency.ts`; it needs a PostgreSQL server (BENCH_DATABASE_URL or
// TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres): scratch databases are
// created and dropped.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Logger, run as runWorker } from 'graphile-worker';
import { RunnerClient } from '../src/runner/client.js';
import { type RunningServer, startServer } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createLogger } from '../src/server/logger.js';
import { queueExtension } from '../src/server/queue/extension.js';
import { startQueueBench } from './_queue-setup.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';

const JOBS = Number(process.env.BENCH_CLAIM_JOBS ?? 1000);
const WARMUP = 100;
/** Jobs per turn: the two queues take turns, so a machine that slows down mid-run slows both alike. */
const ROUND = 100;
const BUDGET_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A runner retries a failing call until it goes through; a bench fails instead of waiting on a broken server. */
const call = { attempts: 3 };

/** One queue under test: `once()` sends one job to an idle consumer and answers its latency in ms. */
interface Probe {
  once(): Promise<number>;
  close(): Promise<void>;
}

/** The event buses compared: NOTIFY on the database, and NATS (BENCH_NATS_URL, the machine's by default). */
const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const BUSES = [
  { name: 'NOTIFY', eventBus: undefined },
  { name: 'NATS', eventBus: NATS_URL },
] as const;

/**
 * `across`: the runner waits on a second server over the same database, so the job reaches it
 * through the event bus (a wake-up, then its claim) instead of the creating server's hand-off.
 */
async function benchline(eventBus: string | undefined, across: boolean): Promise<Probe> {
  const bench = await startQueueBench(1, { eventBus });
  let other: RunningServer | undefined;
  if (across) {
    other = await startServer({
      config: loadConfig({
        PORT: '0',
        DATABASE_URL: bench.databaseUrl,
        LOG_LEVEL: 'silent',
        BENCHLINE_EVENT_BUS: eventBus,
      }),
      log: createLogger('silent'),
      extensions: [queueExtension()],
    });
  }
  const runner = new RunnerClient({ serverUrl: (other ?? bench.server).url, key: bench.runnerKeys[0]! });
  return {
    async once() {
      // The runner is idle in its long-poll before the job exists.
      const claim = runner.claimJob(undefined, 30, call);
      await sleep(2);
      let t0 = 0;
      await bench.submit(() => {
        t0 = performance.now();
      });
      const claimed = await claim;
      const t1 = performance.now();
      if (!claimed) throw new Error('the long-poll ended without a job');
      await runner.failJob(claimed.id, 'RUNNER_ERROR', 'bench', call);
      return t1 - t0;
    },
    async close() {
      await runner.close();
      await other?.stop();
      await bench.stop();
    },
  };
}

async function graphileWorker(): Promise<Probe> {
  const scratch = await scratchDatabase('benchline_bench_gw');
  let arrived: (() => void) | null = null;
  const runner = await runWorker({
    connectionString: scratch.url,
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: new Logger(() => () => {}),
    taskList: {
      bench: async () => {
        arrived?.();
      },
    },
  });
  return {
    async once() {
      await sleep(2);
      const done = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const t0 = performance.now();
      await runner.addJob('bench', {});
      await done;
      return performance.now() - t0;
    },
    async close() {
      await runner.stop();
      await scratch.drop();
    },
  };
}

interface Measured {
  name: string;
  samples: number[];
}

/**
 * Warms every queue up, then measures them in alternating turns of ROUND jobs until each has JOBS
 * samples. The last probe is the anchor.
 */
async function measure(probes: Array<{ name: string; probe: Probe }>): Promise<Measured[]> {
  const samples: number[][] = probes.map(() => []);
  try {
    for (const { probe } of probes) for (let i = 0; i < WARMUP; i++) await probe.once();
    const started = performance.now();
    while (samples[0]!.length < JOBS && performance.now() - started < BUDGET_MS * (probes.length / 2)) {
      for (const [k, { probe }] of probes.entries()) {
        for (let i = 0; i < ROUND && samples[k]!.length < JOBS; i++) samples[k]!.push(await probe.once());
      }
    }
  } finally {
    for (const { probe } of probes) await probe.close();
  }
  return probes.map(({ name }, k) => ({ name, samples: samples[k]!.sort((a, b) => a - b) }));
}

export async function run(): Promise<Figure[]> {
  const probes = [
    { name: 'submit → claim (same server, hand-off)', probe: await benchline(undefined, false) },
  ];
  for (const bus of BUSES) {
    probes.push({
      name: `submit on A → claim on B (${bus.name} bus)`,
      probe: await benchline(bus.eventBus, true),
    });
  }
  probes.push({ name: 'graphile-worker', probe: await graphileWorker() });
  const measured = await measure(probes);
  const anchor = measured.at(-1) as Measured;
  const figures: Figure[] = [];
  for (const ours of measured.slice(0, -1)) {
    for (const [p, goal] of [
      [50, ours === measured[0] ? 'p50 ≤ 5 ms, ratio ≤ 1.5' : 'report'],
      [99, 'report'],
    ] as const) {
      const value = percentile(ours.samples, p);
      const anchorValue = percentile(anchor.samples, p);
      figures.push({
        name: `${ours.name} p${p} (${ours.samples.length} jobs)`,
        value,
        unit: 'ms',
        goal,
        anchor: anchorValue,
        anchorName: `graphile-worker 0.17.3 add → start, ${anchor.samples.length} jobs`,
        ratio: value / anchorValue,
      });
    }
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    console.log(
      `${f.name}: ${f.value.toFixed(2)} ${f.unit}  | ${f.anchorName}: ${f.anchor?.toFixed(2)} ${f.unit}  | ratio ${f.ratio?.toFixed(2)}  | goal ${f.goal}`,
    );
  }
  process.exit(0);
}
