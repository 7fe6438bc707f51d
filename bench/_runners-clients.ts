// The runner side of bench/runners-10k.ts, in processes of their own (forked with an IPC channel,
// several so that the clients are not the limit): one RunnerClient (its own keep-alive undici
// pool, as a runner machine has) per key, each looping the runner's protocol: a `claimJob`
// long-poll of 60 s; on a job, `startJob`, held heartbeats (`waitSeconds` 10, as
// src/runner/heartbeats.ts) for the job's length, then `completeJob`. Runners start when the
// parent says (`connect: n`), so it can ramp at the rate the server accepts them.
// Reports to the parent: how many runners started, how many long-polls are out, and each claim's
// latency from the submit time the job carries in its env (same machine, same wall clock).
import { readFileSync } from 'node:fs';
import { RunnerClient } from '../src/runner/client.js';

interface Start {
  serverUrl: string;
  keysFile: string;
  /** This process's share of the keys file's lines: [from, to). */
  from: number;
  to: number;
  jobSeconds: number;
  waitSeconds: number;
}

/** The runner's loop before it waited a turn after an empty long-poll (src/runner/main.ts). */
const TWIN_SOCKETS = process.env.BENCH_RUNNERS_TWIN_SOCKETS === '1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const send = (message: unknown) => process.send?.(message);

let stopped = false;
let started = 0;
let polling = 0;
let errors = 0;
let lastError = '';
const latencies: number[] = [];

async function runner(client: RunnerClient, jobSeconds: number): Promise<void> {
  while (!stopped) {
    let job: Awaited<ReturnType<RunnerClient['claimJob']>>;
    polling++;
    try {
      job = await client.claimJob(['bench'], waitSeconds, { attempts: 1 });
    } catch (error) {
      errors++;
      lastError = `claimJob: ${String(error)}`;
      await sleep(1000);
      continue;
    } finally {
      polling--;
    }
    if (!job) {
      // As the runner does (src/runner/main.ts): ask again after this turn, on the same connection.
      // Asked in the same turn, undici's pool, whose connection is not yet marked free, opens a
      // second one: 20,000 sockets at the server for 10,000 runners (its limit of open files here
      // is 20,000). BENCH_RUNNERS_TWIN_SOCKETS=1 asks at once, as the runner did before.
      if (!TWIN_SOCKETS) await new Promise((r) => setImmediate(r));
      continue;
    }
    latencies.push(now() - Number(job.config.env.SUBMITTED_AT));
    let step = 'startJob';
    try {
      await client.startJob(job.id, { attempts: 3 });
      step = 'heartbeatJob';
      const end = Date.now() + jobSeconds * 1000;
      await sleep(Math.min(500, jobSeconds * 1000));
      while (Date.now() < end && !stopped) {
        const wait = Math.min(10, Math.max(0, Math.floor((end - Date.now()) / 1000)));
        if (wait === 0) break;
        await client.heartbeatJob(job.id, {
          waitSeconds: wait,
          attempts: 1,
          timeoutMs: wait * 1000 + 10_000,
        });
      }
      step = 'completeJob';
      const stdout = JSON.stringify({ 'bench-a': { latency: { value: 1 } } });
      await client.completeJob(job.id, 0, [{ iteration: 0, exitCode: 0, files: {}, stdout }], {
        attempts: 3,
      });
    } catch (error) {
      errors++;
      lastError = `${step}: ${String(error)}`;
    }
  }
}

let clients: RunnerClient[] = [];
let jobSeconds = 20;
let waitSeconds = 60;

process.on('message', (message: { start?: Start; connect?: number; stop?: true }) => {
  if (message.stop) {
    stopped = true;
    // Long-polls in flight end with the server; the parent kills this process.
    return;
  }
  if (message.connect) {
    const to = Math.min(clients.length, started + message.connect);
    for (; started < to; started++) void runner(clients[started] as RunnerClient, jobSeconds);
    return;
  }
  const start = message.start;
  if (!start) return;
  jobSeconds = start.jobSeconds;
  waitSeconds = start.waitSeconds;
  const keys = readFileSync(start.keysFile, 'utf8').split('\n').filter(Boolean).slice(start.from, start.to);
  clients = keys.map((key) => new RunnerClient({ serverUrl: start.serverUrl, key, callTimeoutMs: 30_000 }));
  const report = setInterval(() => {
    send({ started, polling, errors, lastError, latencies: latencies.splice(0) });
  }, 200);
  report.unref();
  send({ clients: clients.length });
});

send({ ready: true });
