import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { NoiseInput } from '../gql/graphql.js';
import { CappedBuffer } from './capped-buffer.js';
import {
  CallAbortedError,
  isRefusedLogBatch,
  isRefusedNoise,
  RunnerApiError,
  type RunnerClient,
} from './client.js';
import { assertCommandInImage } from './command-in-image.js';
import { CommandError, computeCommand } from './executors/docker-semantics.js';
import {
  type Executor,
  type LimitExceeded,
  OutputFileError,
  type ResourceLimits,
  type RunResult,
} from './executors/executor.js';
import { jsonStringBytes } from './executors/sandbox-paths.js';
import { startHeartbeats } from './heartbeats.js';
import type { BlobCache } from './image/cache.js';
import { ImageError } from './image/errors.js';
import { type PulledImage, pullImage } from './image/pull.js';
import { unpackImage } from './image/unpack.js';
import { type LogChunk, LogShipper } from './log-shipper.js';
import {
  type ClaimedJob,
  type JobOutputInput,
  MAX_COMPLETION_BYTES,
  type RunnerFailureReason,
} from './operations.js';
import { planRuns } from './run-plan.js';
import { sleep } from './sleep.js';

const MiB = 1024 * 1024;
/** An output's JSON besides its stdout and files: iteration, exit code, keys, braces. */
const OUTPUT_OVERHEAD_BYTES = 64;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

export interface JobRunnerContext {
  client: RunnerClient;
  executor: Executor;
  cache: BlobCache;
  /** Each job unpacks into a fresh directory under here. */
  jobsDir: string;
  log: Logger;
  heartbeatIntervalMs?: number;
  limits?: ResourceLimits;
  /** stdout+stderr kept per job before the truncation marker (default 25 MiB). */
  logCapBytes?: number;
  /** Per iteration stdout sent with completeJob (default 25 MiB). */
  stdoutCapBytes?: number;
  /** How long results, logs and the final call are retried once the workload is over (default 15 min). */
  deliveryTimeoutMs?: number;
  /** How long pulling keeps retrying an unreachable registry (default 2 min). */
  pullRetryMs?: number;
  /** Aborting it kills the workload and fails the job with RUNNER_ERROR (the runner is shutting down). */
  interrupt?: AbortSignal;
  /** Aborting it abandons whatever is still undelivered; the server's sweeper then fails the job. */
  abandon?: AbortSignal;
  /** One plain line per step, for people watching the runner. */
  progress?: (line: string) => void;
  /** The noise probe taken just before this job, sent with startJob, or with the result when the claim started the job. */
  noise?: NoiseInput | null;
  /**
   * Takes that probe (instead of `noise`), after the job's heartbeats have started: a job the claim
   * started is in flight from the claim on, and a probe on a loaded host takes seconds.
   */
  probeNoise?: () => Promise<NoiseInput | null>;
}

export type JobOutcome =
  | { kind: 'completed'; exitCode: number; acknowledged: boolean }
  | { kind: 'failed'; reason: RunnerFailureReason; message: string; acknowledged: boolean }
  /** The server refused the job before it ran (e.g. canceled or taken away meanwhile). */
  | { kind: 'refused'; message: string };

class Interrupted extends Error {}

/** A registry answer worth trying again: no answer at all, 5xx or 429. */
function isTransientPullError(error: unknown): boolean {
  if (!(error instanceof ImageError) || error.reason !== 'REGISTRY') return false;
  const status = /HTTP (\d{3})/.exec(error.message);
  return !status || Number(status[1]) >= 500 || status[1] === '429';
}

/**
 * The job config names the registry by host (as image references do) or by URL. A bare host that is
 * the server's own gets the scheme the runner already reaches the server with.
 */
export function registryBaseUrl(registryUrl: string, serverUrl: string): string {
  if (/^https?:\/\//.test(registryUrl)) return registryUrl.replace(/\/+$/, '');
  const server = new URL(serverUrl);
  const host = registryUrl.replace(/\/+$/, '');
  if (host === server.host) return `${server.protocol}//${host}`;
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = name === 'localhost' || name === '::1' || name.startsWith('127.');
  return `${loopback ? 'http' : 'https'}://${host}`;
}

function exitCodeOf(result: RunResult): number {
  if (result.exitCode !== null) return result.exitCode;
  // Docker's convention for a workload killed by a signal.
  const number = result.signal
    ? constants.signals[result.signal as keyof typeof constants.signals]
    : undefined;
  return 128 + (number ?? 9);
}

/**
 * Runs one claimed job to the end and reports it: startJob, pull, unpack, run each iteration with logs
 * streaming, read output files, then completeJob or failJob. Never throws: every way a job can end
 * is reported to the server (or, when the server stays unreachable past the delivery timeout,
 * abandoned to its heartbeat sweeper) and returned.
 */
export async function runJob(job: ClaimedJob, ctx: JobRunnerContext): Promise<JobOutcome> {
  const { client, log } = ctx;
  const jobLog = log.child({ jobId: job.id });
  const say = (line: string) => ctx.progress?.(`job ${job.id}: ${line}`);
  // No job id in the name: the sandbox sees its mount sources' host paths in /proc/self/mountinfo.
  const jobDir = join(ctx.jobsDir, randomBytes(8).toString('hex'));

  // Kills whatever step is running (pull, unpack, workload) on cancel or interrupt.
  const kill = new AbortController();
  let canceled = false;
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    kill.abort();
  };
  if (ctx.interrupt?.aborted) onInterrupt();
  else ctx.interrupt?.addEventListener('abort', onInterrupt, { once: true });

  // Ends retries of undelivered results: on the runner's hard stop, or past the delivery timeout.
  const delivery = new AbortController();
  const onAbandon = () => delivery.abort();
  if (ctx.abandon?.aborted) onAbandon();
  else ctx.abandon?.addEventListener('abort', onAbandon, { once: true });
  let deliveryTimer: NodeJS.Timeout | undefined;
  const startDeliveryDeadline = () => {
    deliveryTimer ??= setTimeout(onAbandon, ctx.deliveryTimeoutMs ?? 15 * 60_000);
  };

  const heartbeats = startHeartbeats({
    client,
    jobId: job.id,
    intervalMs: ctx.heartbeatIntervalMs ?? 2000,
    log: jobLog,
    onCancel: () => {
      if (canceled) return;
      canceled = true;
      jobLog.info('job canceled by the server; killing the workload');
      say('canceled; stopping the workload');
      kill.abort();
    },
  });

  let logsBroken = false;
  const shipper = new LogShipper({
    capBytes: ctx.logCapBytes ?? 25 * MiB,
    send: async (batch: LogChunk[]) => {
      if (logsBroken) return;
      try {
        await client.appendJobLogs(job.id, batch, { signal: delivery.signal });
      } catch (error) {
        // The shipper would retry forever; a final answer or giving up must end it instead.
        if (error instanceof CallAbortedError || error instanceof RunnerApiError) {
          logsBroken = true;
          jobLog.error({ err: (error as Error).message }, 'log shipping stopped; later output is not stored');
          return;
        }
        throw error;
      }
    },
  });

  // A job the claim started has had no startJob to carry the probe: the result carries it.
  let probe: NoiseInput | null = ctx.noise ?? null;
  let noise: NoiseInput | null = null;
  const finish = async (outcome: JobOutcome): Promise<JobOutcome> => {
    startDeliveryDeadline();
    // A completion carries the last log batch itself (one request fewer per job).
    let lastLogs: LogChunk[] | null = null;
    if (outcome.kind === 'completed') lastLogs = await shipper.closeKeepingLast();
    else await shipper.close();
    if (outcome.kind === 'refused') return outcome;
    try {
      if (outcome.kind === 'completed') {
        // The last exit code stands for the job; each iteration's own is in its output. What rides
        // along (the last log batch, the probe) and is refused is dropped, and the result still goes
        // in: the completion did not run, and the output or the probe is lost, not the job.
        let logs = logsBroken ? null : lastLogs;
        let probe = noise;
        for (;;) {
          try {
            await client.completeJob(job.id, outcome.exitCode, outputs, {
              signal: delivery.signal,
              logs,
              noise: probe,
            });
            break;
          } catch (error) {
            if (logs && isRefusedLogBatch(error)) {
              jobLog.error(
                { err: (error as Error).message },
                'the last log batch was refused; it is not stored',
              );
              logs = null;
            } else if (probe && isRefusedNoise(error)) {
              jobLog.warn({ err: (error as Error).message }, 'the noise probe was refused; it is not stored');
              probe = null;
            } else {
              throw error;
            }
          }
        }
        say(`completed, exit code ${outcome.exitCode}`);
      } else {
        const fail = (probe: NoiseInput | null) =>
          client.failJob(job.id, outcome.reason, outcome.message, { signal: delivery.signal, noise: probe });
        await fail(noise).catch((error: unknown) => {
          if (!noise || !isRefusedNoise(error)) throw error;
          jobLog.warn({ err: (error as Error).message }, 'the noise probe was refused; it is not stored');
          return fail(null);
        });
        say(`failed (${outcome.reason}): ${outcome.message}`);
      }
      return { ...outcome, acknowledged: true };
    } catch (error) {
      jobLog.error(
        { err: (error as Error).message, outcome: outcome.kind },
        'the server did not take the result',
      );
      say(`result not delivered: ${(error as Error).message}`);
      return { ...outcome, acknowledged: false };
    }
  };

  const outputs: JobOutputInput[] = [];
  try {
    try {
      if (ctx.probeNoise) probe = await ctx.probeNoise();
      if (job.started) noise = probe;
      else {
        await client.startJob(job.id, {
          signal: AbortSignal.any([delivery.signal, kill.signal]),
          noise: probe,
        });
      }
    } catch (error) {
      if (error instanceof RunnerApiError) {
        say(`not started: ${error.message}`);
        return await finish({ kind: 'refused', message: `${error.code}: ${error.message}` });
      }
      throw error;
    }
    // A confirmation runs several images (its arms, the head first): all are pulled and unpacked
    // before the first round, so no round waits on a pull.
    const images = imagesOf(job);
    await mkdir(jobDir, { recursive: true });
    const prepared: Array<{ rootfs: string; command: ReturnType<typeof computeCommand> }> = [];
    for (const [index, ref] of images.entries()) {
      say(`pulling ${ref.repository}@${ref.digest}`);
      const image = await pull(job, ref, ctx, kill.signal);
      const rootfs = join(jobDir, images.length > 1 ? `rootfs-${index}` : 'rootfs');
      await unpackImage(image.layers, rootfs);
      if (kill.signal.aborted) throw new Interrupted();
      const command = computeCommand(image.config.config, {
        entrypoint: job.config.entrypoint ?? undefined,
        cmd: job.config.cmd ?? undefined,
        env: job.config.env,
      });
      // The host executor runs on the host, not in the rootfs: there is nothing to look up.
      if (ctx.executor.name !== 'host') assertCommandInImage(rootfs, command);
      prepared.push({ rootfs, command });
    }

    const deadline = Date.now() + job.config.timeoutSeconds * 1000;
    let timedOut = false;
    let overLimit: LimitExceeded | undefined;
    // The completion's size, counted as outputs come in (JSON-encoded), so no output is read or kept
    // past what one completion can carry.
    let outputBytes = 0;
    let tooLarge: number | undefined;
    let lastExit = 0;
    for (const step of planRuns(job.config)) {
      const { rootfs, command } = prepared[step.arm]!;
      const iteration = step.output;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        timedOut = true;
        break;
      }
      if (step.label) {
        say(`running ${step.label}`);
        // In the job's own log too, so whoever follows it sees which round and arm is running.
        shipper.stderr(Buffer.from(`── ${step.label} ──\n`));
      } else {
        say(
          job.config.iterations > 1
            ? `running iteration ${iteration + 1}/${job.config.iterations}`
            : `running ${command.argv.join(' ')}`,
        );
      }
      const stdout = new CappedBuffer(ctx.stdoutCapBytes ?? 25 * MiB);
      const result = await ctx.executor.run({
        rootfs,
        argv: command.argv,
        env: command.env,
        workingDir: command.workingDir,
        user: command.user,
        network: job.network,
        timeoutMs: remaining,
        limits: { ...jobLimits(job), ...ctx.limits },
        signal: kill.signal,
        onStdout: (chunk) => {
          shipper.stdout(chunk);
          stdout.push(chunk);
        },
        onStderr: shipper.stderr,
      });
      try {
        if (result.timedOut) {
          timedOut = true;
          break;
        }
        if (result.canceled) break;
        if (result.limitExceeded) {
          overLimit = result.limitExceeded;
          break;
        }
        lastExit = exitCodeOf(result);
        // With files named, the server parses those, not stdout, which the log holds anyway.
        const captured = job.config.filePaths.length > 0 ? '' : stdout.toString();
        const capturedBytes = jsonStringBytes(captured) + OUTPUT_OVERHEAD_BYTES;
        let files: Record<string, string> = {};
        if (job.config.filePaths.length > 0) {
          try {
            files = await result.readFiles(job.config.filePaths, {
              maxTotalBytes: MAX_COMPLETION_BYTES - outputBytes - capturedBytes,
            });
          } catch (error) {
            if (error instanceof OutputFileError && error.reason === 'TOO_LARGE') {
              tooLarge = outputBytes + capturedBytes + (error.bytes ?? 0);
              break;
            }
            // A failed workload often never wrote its files; its exit code is the news, not this.
            if (!(error instanceof OutputFileError) || lastExit === 0) throw error;
          }
        }
        outputBytes +=
          capturedBytes +
          Object.entries(files).reduce(
            (sum, [path, content]) => sum + jsonStringBytes(path) + jsonStringBytes(content) + 2,
            0,
          );
        if (outputBytes > MAX_COMPLETION_BYTES) {
          tooLarge = outputBytes;
          break;
        }
        outputs.push({ iteration, exitCode: lastExit, stdout: captured, files });
        if (lastExit !== 0) break;
      } finally {
        await result.dispose();
      }
    }

    if (canceled) return await finish(canceledOutcome());
    if (interrupted) return await finish(interruptedOutcome());
    if (overLimit) {
      // Whatever the iteration printed or wrote is no benchmark result: the job ends on the limit.
      return await finish({
        kind: 'failed',
        reason: overLimit.reason,
        message: overLimit.message,
        acknowledged: false,
      });
    }
    if (timedOut) {
      return await finish({
        kind: 'failed',
        reason: 'JOB_TIMEOUT',
        message: `the workload ran past its timeout of ${job.config.timeoutSeconds} s and was killed`,
        acknowledged: false,
      });
    }
    if (tooLarge !== undefined) {
      const completionBytes = tooLarge;
      return await finish({
        kind: 'failed',
        reason: 'RUNNER_ERROR',
        message:
          `the job's outputs come to ${mib(completionBytes)} MiB, more than the ${mib(MAX_COMPLETION_BYTES)} MiB ` +
          'one completion can carry: write fewer or smaller result files (filePaths), or less to stdout',
        acknowledged: false,
      });
    }
    return await finish({ kind: 'completed', exitCode: lastExit, acknowledged: false });
  } catch (error) {
    if (canceled) return await finish(canceledOutcome());
    if (interrupted || error instanceof Interrupted) return await finish(interruptedOutcome());
    const imageProblem = error instanceof ImageError || error instanceof CommandError;
    const message = describe(error);
    jobLog.error({ err: message, stack: (error as Error).stack }, 'job failed');
    return await finish({
      kind: 'failed',
      reason: imageProblem ? 'IMAGE_ERROR' : 'RUNNER_ERROR',
      message,
      acknowledged: false,
    });
  } finally {
    heartbeats.stop();
    clearTimeout(deliveryTimer);
    ctx.interrupt?.removeEventListener('abort', onInterrupt);
    ctx.abandon?.removeEventListener('abort', onAbandon);
    await rm(jobDir, { recursive: true, force: true }).catch((error) =>
      jobLog.warn({ err: (error as Error).message, dir: jobDir }, 'could not remove the job directory'),
    );
  }
}

/** The spec's limits as the executor takes them. */
function jobLimits(job: ClaimedJob): ResourceLimits {
  const { limits } = job;
  if (!limits) return {};
  return {
    cpus: limits.cpus,
    memoryBytes: limits.memoryBytes,
    diskBytes: limits.diskBytes,
    maxProcesses: limits.processes,
  };
}

function canceledOutcome(): JobOutcome {
  return {
    kind: 'failed',
    reason: 'CANCELED_BY_USER',
    message: 'canceled; the workload was killed',
    acknowledged: false,
  };
}

function interruptedOutcome(): JobOutcome {
  return {
    kind: 'failed',
    reason: 'RUNNER_ERROR',
    message: 'the runner was shut down before the job finished; the workload was killed',
    acknowledged: false,
  };
}

function describe(error: unknown): string {
  if (error instanceof ImageError) return `image: ${error.message}`;
  if (error instanceof CommandError) return `image: ${error.message}`;
  if (error instanceof OutputFileError) return `output files: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

interface ImageRef {
  repository: string;
  digest: string;
}

/** The images a job runs: a run's one, or a confirmation's arms (the head first). */
function imagesOf(job: ClaimedJob): ImageRef[] {
  if (job.config.kind === 'CONFIRMATION' && job.config.arms?.length) return job.config.arms;
  return [{ repository: job.config.repository, digest: job.config.digest }];
}

async function pull(
  job: ClaimedJob,
  ref: ImageRef,
  ctx: JobRunnerContext,
  signal: AbortSignal,
): Promise<PulledImage> {
  const giveUpAt = Date.now() + (ctx.pullRetryMs ?? 2 * 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await pullImage({
        registryUrl: registryBaseUrl(job.config.registryUrl, ctx.client.serverUrl),
        repository: ref.repository,
        digest: ref.digest,
        token: job.pullToken ?? undefined,
        cache: ctx.cache,
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new Interrupted();
      if (!isTransientPullError(error) || Date.now() >= giveUpAt) throw error;
      const delay = Math.min(5000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2);
      ctx.log.warn({ jobId: job.id, attempt, err: (error as Error).message }, 'pull failed; retrying');
      await sleep(delay, signal);
    }
  }
}
