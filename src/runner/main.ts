import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import type { NoiseInput, RunnerReportPreflightMutationVariables } from '../gql/graphql.js';
import { CallAbortedError, RunnerApiError, RunnerClient } from './client.js';
import { BwrapExecutor } from './executors/bwrap.js';
import type { Executor, ResourceLimits } from './executors/executor.js';
import { probeHost } from './executors/probe.js';
import { makePrivate } from './executors/sandbox-identities.js';
import { unmountStale } from './executors/sandbox-scratch.js';
import { BlobCache } from './image/cache.js';
import { type JobOutcome, runJob } from './job-runner.js';
import type { ClaimedJob } from './operations.js';
import { createSandboxExecutor } from './sandbox-executor.js';
import type { RunnerTransport } from './transport.js';
import { lockWorkDir } from './work-dir-lock.js';

export interface RunnerOptions {
  serverUrl: string;
  key: string;
  /** Spec slugs this runner serves; empty: every spec the runner is registered for. */
  specs?: string[];
  /** Default: bubblewrap with what probeHost() finds. */
  executor?: Executor;
  /** Blob cache, per-job rootfs and sandbox scratch space. */
  workDir: string;
  concurrency?: number;
  log?: Logger;
  /** Long-poll length of each claimJob (default 30 s). */
  claimWaitSeconds?: number;
  heartbeatIntervalMs?: number;
  /** On stop, how long running jobs may go on before they are killed and failed (default 60 s). */
  shutdownGraceMs?: number;
  /** After that, how long the failJob of a killed job is retried before the runner exits anyway. */
  shutdownDeliveryMs?: number;
  deliveryTimeoutMs?: number;
  limits?: ResourceLimits;
  logCapBytes?: number;
  cacheMaxBytes?: number;
  progress?: (line: string) => void;
  /**
   * Measures the host's noise before each job (sent with startJob); none when absent. A failed probe
   * is logged and the job runs without one.
   */
  noiseProbe?: (signal: AbortSignal) => Promise<NoiseInput>;
  /**
   * Runs once the work dir is locked, before the first claim (the daemon tunes the host here). What it
   * answers — preflight checks, tuning knobs — is sent to the server as the runner's Runner.preflight.
   */
  prepare?: () => Promise<RunnerReportPreflightMutationVariables | undefined>;
  onJobDone?: (job: ClaimedJob, outcome: JobOutcome) => void;
  /** How API calls travel (default: undici keep-alive connections); closed when the runner stops. */
  transport?: RunnerTransport;
  fetch?: typeof fetch;
}

export interface RunningRunner {
  /**
   * Stops claiming, lets running jobs finish within the grace period (then kills and fails them
   * honestly), and resolves once every worker is done. Calling again shortens the grace.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Resolves when the runner has stopped; rejects when it cannot work at all (e.g. a bad key). */
  done: Promise<void>;
}

/** Final claim errors: retrying will not make the key valid or the spec exist. */
const FATAL_CLAIM_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_INPUT', 'NOT_FOUND', 'BAD_RESPONSE']);

export async function startRunner(options: RunnerOptions): Promise<RunningRunner> {
  const log = options.log ?? pino({ level: 'silent' });
  const client = new RunnerClient({
    serverUrl: options.serverUrl,
    key: options.key,
    log,
    transport: options.transport,
    fetch: options.fetch,
  });
  await mkdir(options.workDir, { recursive: true });
  const executor =
    options.executor ??
    (await createSandboxExecutor(await probeHost(), { workDir: options.workDir, log })).executor;
  // Sandboxes with uids of their own must be able to search the work dir; nobody else may.
  const gid = executor instanceof BwrapExecutor ? executor.sandboxGid : undefined;
  const jobsDir = join(options.workDir, 'jobs');
  const lock = await lockWorkDir(options.workDir);
  // Whatever a killed runner left behind is of no use now; its scratch mounts go before their files.
  await unmountStale(join(options.workDir, 'scratch'));
  await rm(jobsDir, { recursive: true, force: true });
  await mkdir(jobsDir, { recursive: true });
  await mkdir(join(options.workDir, 'scratch'), { recursive: true });
  for (const dir of [options.workDir, jobsDir, join(options.workDir, 'scratch')]) makePrivate(dir, gid);
  const cache = new BlobCache({ workDir: options.workDir, maxBytes: options.cacheMaxBytes });
  await cache.init();
  let hostReport: RunnerReportPreflightMutationVariables | undefined;
  try {
    hostReport = await options.prepare?.();
  } catch (error) {
    await Promise.all([client.close(), lock.release()]);
    throw error;
  }
  if (hostReport) {
    // Best-effort: an unreachable server must not keep the runner from working; the logs have it all.
    await client.reportPreflight(hostReport).catch((error: unknown) => {
      log.warn({ err: String(error) }, 'could not send the preflight report; it is in these logs');
    });
  }

  const claiming = new AbortController();
  const interrupt = new AbortController();
  const abandon = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  let abandonTimer: NodeJS.Timeout | undefined;
  const shutdownDeliveryMs = options.shutdownDeliveryMs ?? 10_000;
  const interruptNow = () => {
    if (interrupt.signal.aborted) return;
    interrupt.abort();
    abandonTimer = setTimeout(() => abandon.abort(), shutdownDeliveryMs);
  };

  const worker = async (index: number) => {
    const workerLog = log.child({ worker: index });
    let failures = 0;
    while (!claiming.signal.aborted) {
      let job: ClaimedJob | null;
      try {
        // Started by the claim: its startJob, the first call after every claim, costs no request.
        job = await client.claimJob(options.specs, options.claimWaitSeconds ?? 30, {
          signal: claiming.signal,
          start: true,
        });
        failures = 0;
      } catch (error) {
        if (error instanceof CallAbortedError || claiming.signal.aborted) break;
        if (error instanceof RunnerApiError && FATAL_CLAIM_CODES.has(error.code)) {
          claiming.abort();
          throw error;
        }
        // Other typed answers (CONFLICT, …) should be rare and short-lived: wait a little and claim again.
        failures++;
        workerLog.warn({ err: (error as Error).message, failures }, 'claim failed');
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** Math.min(failures, 6))));
        continue;
      }
      if (!job) {
        // Ask again after this turn: undici frees the long-poll's connection once its answer is read,
        // and a call made in the same turn opens a second one. At thousands of runners those idle
        // twins doubled the server's sockets, and a reuse racing the server's keep-alive close failed
        // with "other side closed".
        await new Promise((r) => setImmediate(r));
        continue;
      }
      const started = Date.now();
      workerLog.info(
        { jobId: job.id, image: `${job.config.repository}@${job.config.digest}` },
        'job claimed',
      );
      options.progress?.(
        `job ${job.id}: claimed (${job.config.repository}@${job.config.digest.slice(0, 19)})`,
      );
      // Run by runJob once the job's heartbeats beat: the claim started the job, and a probe on a
      // loaded host can outlast the heartbeat timeout's margin.
      const noiseProbe = options.noiseProbe;
      const claimed = job;
      const probeNoise = noiseProbe
        ? async (): Promise<NoiseInput | null> => {
            const noise = await noiseProbe(interrupt.signal).catch((error: unknown) => {
              workerLog.warn(
                { jobId: claimed.id, err: String(error) },
                'noise probe failed; the job runs without one',
              );
              return null;
            });
            if (noise) {
              options.progress?.(
                `job ${claimed.id}: noise probe CV ${noise.cvPct.toFixed(2)}% (${Math.round(noise.probeMs ?? 0)} ms)`,
              );
            }
            return noise;
          }
        : undefined;
      const outcome = await runJob(job, {
        probeNoise,
        client,
        executor: executor!,
        cache,
        jobsDir,
        log: workerLog,
        heartbeatIntervalMs: options.heartbeatIntervalMs,
        limits: options.limits,
        logCapBytes: options.logCapBytes,
        deliveryTimeoutMs: options.deliveryTimeoutMs,
        interrupt: interrupt.signal,
        abandon: abandon.signal,
        progress: options.progress,
      });
      workerLog.info({ jobId: job.id, outcome, ms: Date.now() - started }, 'job finished');
      options.onJobDone?.(job, outcome);
    }
  };

  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  log.info(
    { server: client.serverUrl, specs: options.specs ?? [], concurrency, executor: executor.name },
    'runner started',
  );
  const workers = Array.from({ length: concurrency }, (_, i) => worker(i));
  const done = Promise.all(workers)
    .then(
      () => {
        clearTimeout(graceTimer);
        clearTimeout(abandonTimer);
        log.info('runner stopped');
      },
      (error) => {
        // One worker cannot work, so none can: stop the others and report why.
        claiming.abort();
        interruptNow();
        clearTimeout(graceTimer);
        return Promise.allSettled(workers).then(() => {
          clearTimeout(abandonTimer);
          throw error;
        });
      },
    )
    // Every worker is done, so every call has ended or been aborted: the connections can go.
    .finally(() => Promise.all([client.close(), lock.release()]));
  done.catch(() => {});

  return {
    stop: async (stopOptions = {}) => {
      const graceMs = stopOptions.graceMs ?? options.shutdownGraceMs ?? 60_000;
      claiming.abort();
      clearTimeout(graceTimer);
      if (graceMs <= 0) interruptNow();
      else graceTimer = setTimeout(interruptNow, graceMs);
      await done.catch(() => {});
    },
    done,
  };
}
