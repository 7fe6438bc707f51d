// Live logs as the user feels them: a line written by the workload (a child process writing to its
// stdout, as a sandboxed job does) until a `jobLogs` subscriber has it. The runner's side is the real
// LogShipper and RunnerClient in this process; the server (appendJobLogs and graphql-ws) runs in a
// process of its own. Both ends stamp with performance.timeOrigin + performance.now() — the same
// machine clock, across processes — so the figure includes the pipe, the batching, the server hop
// and the subscription.
//
// Anchors, same run: the shipper's fixed 50 ms window (`batching: 'window'`), the batching before
// adaptive batching, against a server that reads every appended chunk back (BENCHLINE_LIVE_REREAD=1,
// the server before the local hand-off); and adaptive batching against that same re-reading server,
// which isolates the hand-off. Two servers on one database, trials interleaved over BENCH_ROUNDS
// rounds (default 2). Figures per rate: latency p50/p99 (the median of the rounds, with their
// spread), the legs (shipper, server, delivery; see `Hop`), and the chunks (seqs) and sends.
// Run with `npx tsx bench/live-latency.ts`; it needs PostgreSQL like bench/live.ts.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { RunnerClient } from '../src/runner/client.js';
import { LogShipper } from '../src/runner/log-shipper.js';
import { createAdminToken } from '../src/server/accounts/users.js';
import { createDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createRunner } from '../src/server/runners/runners.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';
import { follow, type RemoteServer, runningJob, startServerB, wsClient } from './live.js';

const SECONDS = 4;
const WARMUP_MS = 500;
const RATES = [100, 1000];

const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `rate` lines a second for `seconds`, each its own write(2), stamped when written. */
const WORKLOAD = `
const [rate, seconds] = process.argv.slice(1).map(Number);
const clock = () => performance.timeOrigin + performance.now();
const start = performance.now();
let written = 0;
const tick = () => {
  const due = Math.min(rate * seconds, Math.floor(((performance.now() - start) * rate) / 1000));
  for (; written < due; written++) process.stdout.write('t=' + clock().toFixed(3) + '\\n');
  if (written < rate * seconds) setTimeout(tick, 1);
};
tick();
`;

interface Trial {
  latencies: number[];
  chunks: number;
  sends: number;
  lines: number;
  /** Where each line's time went, per line (sorted): see `hops` below. */
  hops: Record<Hop, number[]>;
}

/**
 * The path's legs, each line on the same clock: `shipper` from the write until its batch's send began
 * (the pipe and the batching), `server` from then until appendJobLogs answered (HTTP, the insert, the
 * publish), `delivery` from the send until the subscriber had it (the server, the bus and graphql-ws;
 * it overlaps `server`, since the event may leave before the answer does).
 */
type Hop = 'shipper' | 'server' | 'delivery';

async function trial(
  server: RemoteServer,
  token: string,
  key: string,
  jobId: string,
  rate: number,
  batching: 'adaptive' | 'window',
  seconds = SECONDS,
): Promise<Trial> {
  const client = new RunnerClient({ serverUrl: server.url, key });
  let sends = 0;
  const sentAt = new Map<number, number>();
  const ackedAt = new Map<number, number>();
  const shipper = new LogShipper({
    batching,
    send: async (batch) => {
      sends++;
      const start = clock();
      await client.appendJobLogs(jobId, batch);
      const end = clock();
      for (const chunk of batch) {
        if (!sentAt.has(chunk.seq)) sentAt.set(chunk.seq, start);
        ackedAt.set(chunk.seq, end);
      }
    },
  });
  const ws = wsClient(server, token);
  const latencies: number[] = [];
  const received: Array<{ written: number; at: number; seq: number }> = [];
  let lines = 0;
  let failure: unknown;
  const stop = follow(
    ws,
    jobId,
    (text, seq) => {
      const now = clock();
      for (const line of text.split('\n')) {
        if (!line.startsWith('t=')) continue;
        lines++;
        latencies.push(now - Number(line.slice(2)));
        received.push({ written: Number(line.slice(2)), at: now, seq });
      }
    },
    (e) => {
      failure = e;
    },
  );
  await sleep(300);
  const child = spawn(process.execPath, ['-e', WORKLOAD, String(rate), String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.on('data', shipper.stdout);
  await new Promise((resolve) => child.once('close', resolve));
  await shipper.close();
  const total = rate * seconds;
  const until = Date.now() + 10_000;
  while (lines < total && !failure && Date.now() < until) await sleep(10);
  stop();
  await ws.dispose();
  if (failure) throw new Error(`subscriber failed: ${JSON.stringify(failure)}`);
  if (lines !== total) throw new Error(`received ${lines} of ${total} lines`);
  // Lines written in the first half second (JIT, pools, the shipper's held first window) are left out.
  const skip = (rate * WARMUP_MS) / 1000;
  const steady = latencies.filter((_, i) => i >= skip);
  const hops: Record<Hop, number[]> = { shipper: [], server: [], delivery: [] };
  for (const line of received.slice(skip)) {
    const sent = sentAt.get(line.seq);
    const acked = ackedAt.get(line.seq);
    if (sent === undefined || acked === undefined) continue;
    hops.shipper.push(sent - line.written);
    hops.server.push(acked - sent);
    hops.delivery.push(line.at - sent);
  }
  for (const values of Object.values(hops)) values.sort((a, b) => a - b);
  return { latencies: steady.sort((a, b) => a - b), chunks: shipper.nextSeq, sends, lines, hops };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

type Setup = 'ours' | 'reread' | 'window';
const SETUPS: Record<Setup, { batching: 'adaptive' | 'window'; server: 'handOff' | 'reread'; name: string }> =
  {
    ours: { batching: 'adaptive', server: 'handOff', name: 'adaptive, hand-off' },
    reread: { batching: 'adaptive', server: 'reread', name: 'adaptive, re-read' },
    window: { batching: 'window', server: 'reread', name: 'fixed 50 ms window, re-read' },
  };

/** The server before the local hand-off, in a process of its own beside ours. */
async function startRereadServer(url: string): Promise<RemoteServer> {
  const saved = process.env.BENCHLINE_LIVE_REREAD;
  process.env.BENCHLINE_LIVE_REREAD = '1';
  try {
    return await startServerB(url);
  } finally {
    if (saved === undefined) delete process.env.BENCHLINE_LIVE_REREAD;
    else process.env.BENCHLINE_LIVE_REREAD = saved;
  }
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((x, y) => x - y),
    50,
  );
const spread = (values: number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;

export async function run(): Promise<Figure[]> {
  const scratch = await scratchDatabase('benchline_bench_live_latency');
  const db = createDatabase({ url: scratch.url, max: 2 });
  const servers: Partial<Record<'handOff' | 'reread', RemoteServer>> = {};
  try {
    await migrateToLatest(db);
    servers.handOff = await startServerB(scratch.url);
    servers.reread = await startRereadServer(scratch.url);
    const token = (await createAdminToken(db, new Date())).secret;
    const runner = await createRunner(db, { name: 'bench runner', specs: [] });
    const job = () => runningJob({ db, runnerId: runner.runner.id });
    // Warms both servers (JIT, pools) so the first measured trial is not a cold one.
    for (const server of Object.values(servers)) {
      await trial(server as RemoteServer, token, runner.key, await job(), 100, 'adaptive', 1);
    }
    const figures: Figure[] = [];
    for (const rate of RATES) {
      const trials: Record<Setup, Trial[]> = { ours: [], reread: [], window: [] };
      for (let round = 0; round < ROUNDS; round++) {
        // Interleaved, the order turning each round, so load falls on all alike.
        const order: Setup[] = round % 2 ? ['ours', 'reread', 'window'] : ['window', 'reread', 'ours'];
        for (const setup of order) {
          const { batching, server } = SETUPS[setup];
          trials[setup].push(
            await trial(servers[server] as RemoteServer, token, runner.key, await job(), rate, batching),
          );
        }
      }
      const label = `${rate.toLocaleString('en')} lines/s`;
      const per = (setup: Setup, pick: (t: Trial) => number) => trials[setup].map(pick);
      for (const p of [50, 99]) {
        const pick = (t: Trial) => percentile(t.latencies, p);
        const [ours, reread, window] = (['ours', 'reread', 'window'] as const).map((k) => per(k, pick));
        figures.push({
          name: `log line latency p${p} (${label}, workload write → jobLogs subscriber; rounds ${spread(ours as number[])}; adaptive re-read ${median(reread as number[]).toFixed(1)} (${spread(reread as number[])}); fixed window ${spread(window as number[])})`,
          value: median(ours as number[]),
          unit: 'ms',
          goal: p === 99 && rate === 100 ? '≤ 20 ms' : 'report',
          anchor: median(window as number[]),
          anchorName: SETUPS.window.name,
          ratio: median(ours as number[]) / median(window as number[]),
        });
      }
      for (const hop of ['shipper', 'server', 'delivery'] as const) {
        const at = (setup: Setup, p: number) => median(per(setup, (t) => percentile(t.hops[hop], p)));
        figures.push({
          name: `${hop} leg p50 (${label}; p99 ${at('ours', 99).toFixed(1)} ms; adaptive re-read p50 ${at('reread', 50).toFixed(1)} / p99 ${at('reread', 99).toFixed(1)}; fixed window p99 ${at('window', 99).toFixed(1)})`,
          value: at('ours', 50),
          unit: 'ms',
          goal: 'report',
          anchor: at('window', 50),
          anchorName: SETUPS.window.name,
          ratio: at('ours', 50) / at('window', 50),
        });
      }
      const chunks = (setup: Setup) => per(setup, (t) => t.chunks);
      const sends = (setup: Setup) => per(setup, (t) => t.sends);
      figures.push({
        name: `chunks (seqs) for ${trials.ours[0]?.lines} lines (${label}; rounds ${chunks('ours').join(', ')} vs window ${chunks('window').join(', ')}; adaptive re-read ${chunks('reread').join(', ')}; sends ${median(sends('ours'))} vs ${median(sends('window'))})`,
        value: median(chunks('ours')),
        unit: 'chunks',
        goal: rate >= 1000 ? '≤ anchor' : 'report',
        anchor: median(chunks('window')),
        anchorName: SETUPS.window.name,
        ratio: median(chunks('ours')) / median(chunks('window')),
      });
    }
    return figures;
  } finally {
    for (const server of Object.values(servers)) server?.stop();
    await db.destroy();
    await scratch.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  for (const f of await run()) {
    const anchor =
      f.anchor === undefined
        ? ''
        : `  (${f.anchorName}: ${f.anchor.toFixed(2)} ${f.unit}, ratio ${f.ratio?.toFixed(2)})`;
    console.log(`${f.name}: ${f.value.toFixed(2)} ${f.unit}  goal ${f.goal}${anchor}`);
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exit(0);
}
