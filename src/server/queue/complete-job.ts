import type { Selectable } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { BenchlineError, badInput } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { type JobNoise, noisePatch, recordRunnerNoise } from '../noise/job-noise.js';
import type { ParseSettings } from '../results/parse-output.js';
import { appendJobLogsIn, decodeChunks, type LogChunkInput } from './append-job-logs.js';
import type { DecodedChunk } from './append-logs-locked.js';
import { completeRunning } from './complete-running.js';
import { jobEvent } from './events.js';
import { lockHeldJob } from './held-job.js';
import { readJobConfig } from './job-config.js';
import { freeLimitSlot, leaveFlight } from './leave-flight.js';
import { limitOf } from './limit-key.js';
import { processCompleted } from './process-job.js';
import { recordProcessingFailure } from './processing-failure.js';
import { invalidTransition } from './transition-error.js';
import { recordUsage } from './usage.js';

export interface JobOutputInput {
  iteration: number;
  exitCode: number;
  /** path → content */
  files: Record<string, string>;
  stdout: string | null;
}

const MAX_OUTPUT_FILES = 255;

function checkOutputs(outputs: JobOutputInput[]): void {
  const seen = new Set<number>();
  for (const output of outputs) {
    if (!Number.isInteger(output.iteration) || output.iteration < 0) {
      throw badInput(`iteration ${output.iteration} is not a whole number ≥ 0`, 'outputs');
    }
    if (seen.has(output.iteration)) throw badInput(`iteration ${output.iteration} is given twice`, 'outputs');
    seen.add(output.iteration);
    const files = output.files ?? {};
    if (typeof files !== 'object' || Array.isArray(files))
      throw badInput('files must map path → content', 'files');
    if (Object.keys(files).length > MAX_OUTPUT_FILES)
      throw badInput(`at most ${MAX_OUTPUT_FILES} files`, 'files');
    for (const [path, content] of Object.entries(files)) {
      if (typeof content !== 'string') throw badInput(`the content of ${path} must be a string`, 'files');
    }
  }
}

/** An output for an iteration the job never had would be processed as one more iteration. */
function checkIterations(job: Selectable<Job>, outputs: JobOutputInput[]): void {
  const config = readJobConfig(job.config);
  // A confirmation reports every round of every arm (job-config.ts: confirmationSlot).
  const iterations =
    config.kind === 'CONFIRMATION'
      ? config.iterations * (config.rounds ?? 1) * Math.max(1, config.arms?.length ?? 1)
      : config.iterations;
  const stray = outputs.find((output) => output.iteration >= iterations);
  if (stray) {
    throw badInput(
      `iteration ${stray.iteration} is not one of this job's ${iterations} (0 to ${iterations - 1})`,
      'outputs',
    );
  }
}

/**
 * The runner's result: stores the outputs, RUNNING → COMPLETED (also from FAILED with
 * HEARTBEAT_TIMEOUT: a late completion wins), then processes the results (→ PROCESSED or FAILED)
 * in the same transaction: one commit instead of two. A repeat after a lost answer stores nothing
 * new and returns the job.
 *
 * The common case runs without a savepoint. When processing throws, the whole transaction is
 * rolled back and the completion is stored again with processing behind a savepoint: a parse
 * failure then ends FAILED with PROCESSING_ERROR, and any other error (a bug, a database error)
 * is recorded by `recordProcessingFailure` — FAILED when it is permanent, else COMPLETED for the
 * sweeper to retry with backoff — and logged; the runner gets the job either way and moves on.
 */
export async function completeJob(
  db: Database,
  config: Config,
  input: CompletionInput,
  publish: (events: BusEvent[]) => Promise<void>,
): Promise<Selectable<Job>> {
  checkOutputs(input.outputs);
  const logs = input.logs?.length ? refusedLogs(() => decodeChunks(input.logs ?? [])) : [];
  const completion = { ...input, decodedLogs: logs };
  let outcome: { job: Selectable<Job>; events: BusEvent[] } | undefined;
  // The last log batch rides in the completing statement unless that found the log's end stale.
  for (const mergeLogs of [true, false]) {
    try {
      outcome = await db
        .transaction()
        .execute((trx) => completeAndProcess(trx, config, completion, 'throw', mergeLogs));
      break;
    } catch (error) {
      if (error instanceof StaleLogEnd) continue;
      // The completion's own refusals (FORBIDDEN, INVALID_TRANSITION, …) come before processing and
      // stay what they are; only a processing failure is worth the second try.
      if (!(error instanceof ProcessingFailed)) throw error;
      break;
    }
  }
  let deferred: unknown;
  outcome ??= await db.transaction().execute(async (trx) => {
    const done = await completeAndProcess(trx, config, completion, 'savepoint');
    deferred = done.deferred;
    return done;
  });
  await publish(outcome.events);
  if (deferred !== undefined) {
    input.log?.warn(
      { err: deferred, jobId: input.jobId, status: outcome.job.status },
      'result processing failed',
    );
  }
  return outcome.job;
}

export interface CompletionInput {
  jobId: string;
  runnerId: string;
  exitCode: number;
  outputs: JobOutputInput[];
  now: Date;
  channel?: string;
  log?: Logger;
  /**
   * The job's last log batch, stored in the completion's transaction ahead of the result (one
   * commit, not two). A batch the log refuses (LOG_GAP, bad chunks) refuses the completion too,
   * with `argument: 'logs'` in the error's details, so the runner can complete without it.
   */
  logs?: LogChunkInput[];
  /**
   * The runner's noise probe, when the claim started the job (the probe runs after the claim, so
   * it comes with the result instead of with startJob). Kept by a fresh completion only.
   */
  noise?: JobNoise | null;
}

/**
 * The completing statement appended fewer of the last batch's chunks than it was given: its view
 * of the log's end predated an append it waited for. Rolled back and done the careful way.
 */
class StaleLogEnd extends Error {
  constructor() {
    super('the log grew under the completing statement');
  }
}

/** Marks an error thrown by result processing (not by storing the completion). */
class ProcessingFailed extends Error {
  constructor(readonly error: unknown) {
    super('result processing failed');
  }
}

/** A log batch's refusal, marked as the batch's (`argument: 'logs'`) rather than the result's. */
function refusedLogs<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof BenchlineError) {
      throw new BenchlineError(error.code, error.message, { ...error.details, argument: 'logs' });
    }
    throw error;
  }
}

async function completeAndProcess(
  trx: Database,
  config: Config,
  completion: CompletionInput & { decodedLogs: DecodedChunk[] },
  onError: 'throw' | 'savepoint',
  mergeLogs = false,
): Promise<{ job: Selectable<Job>; events: BusEvent[]; deferred?: unknown }> {
  if (mergeLogs && completion.decodedLogs.length) {
    // The usual finish: a batch that continues the log goes in with the completion, one statement.
    const merged = await completeAndProcessResult(trx, config, completion, onError, completion.decodedLogs);
    if (merged) return merged;
  }
  // The output first, then the result that follows it; a refusal rolls the transaction back.
  const logEvents = completion.decodedLogs.length
    ? (
        await appendJobLogsIn(trx, completion, completion.decodedLogs).catch((error: unknown) =>
          refusedLogs(() => {
            throw error;
          }),
        )
      ).events
    : [];
  const outcome = await completeAndProcessResult(trx, config, completion, onError);
  if (!outcome) throw new Error('a completion without logs was not stored');
  return { ...outcome, events: [...logEvents, ...outcome.events] };
}

async function completeAndProcessResult(
  trx: Database,
  config: Config,
  completion: CompletionInput,
  onError: 'throw' | 'savepoint',
  logs: DecodedChunk[] = [],
): Promise<{ job: Selectable<Job>; events: BusEvent[]; deferred?: unknown } | undefined> {
  // The first try settles the job's final status in the completing statement (one update of the
  // job instead of two); a processing failure rolls that back with everything else.
  const settle = onError === 'throw';
  const stored = await storeCompletion(trx, config, completion, settle, logs);
  if (!stored) return undefined;
  // Refused inside the transaction, so the completion's statement is rolled back with it.
  if (stored.fresh) checkIterations(stored.job, completion.outputs);
  if (stored.settled) {
    const processing = {
      ...completion,
      parse: stored.parse,
      limits: config.outputLimits,
      tiers: config.tiers,
    };
    try {
      const processed = await processCompleted(trx, stored.job, completion.outputs, processing, {
        savepoint: false,
        settled: true,
      });
      return { job: processed.job, events: [...stored.events, ...processed.events] };
    } catch (error) {
      throw new ProcessingFailed(error);
    }
  }
  if (stored.job.status !== 'COMPLETED') return stored;
  // Processing a repeat's job (left COMPLETED by an earlier failure) reads what was stored then.
  const outputs = stored.fresh
    ? completion.outputs
    : await trx
        .selectFrom('job_output')
        .select(['iteration', 'files', 'stdout'])
        .where('job_id', '=', stored.job.id)
        .execute();
  const processing = { ...completion, parse: stored.parse, limits: config.outputLimits, tiers: config.tiers };
  const savepoint = onError === 'savepoint';
  try {
    const processed = await processCompleted(trx, stored.job, outputs, processing, { savepoint });
    return { job: processed.job, events: [...stored.events, ...processed.events] };
  } catch (error) {
    if (!savepoint) throw new ProcessingFailed(error);
    // The completion itself is stored: the runner is answered and moves on; processing is retried
    // by the sweeper with backoff, or the job ends FAILED (PROCESSING_ERROR).
    const recorded = await recordProcessingFailure(trx, config, stored.job, error, completion.now);
    return { job: recorded.job, events: [...stored.events, ...recorded.events], deferred: error };
  }
}

/**
 * Stores the outputs and moves the job to COMPLETED; `fresh` says whether this call did it. The
 * common case (RUNNING, held by this runner) is one statement, which also says how the report
 * parses (`parse`); the rest reads under the row lock.
 */
async function storeCompletion(
  trx: Database,
  config: Config,
  input: CompletionInput,
  settle: boolean,
  logs: DecodedChunk[] = [],
): Promise<
  | {
      job: Selectable<Job>;
      events: BusEvent[];
      fresh: boolean;
      /** The completing statement set the final status (complete-running.ts: `settle`). */
      settled?: boolean;
      parse?: ParseSettings;
    }
  | undefined
> {
  const completed = await completeRunning(trx, input, settle, logs);
  // With logs that did not continue the log (or a job not RUNNING), nothing was written.
  if (!completed && logs.length) return undefined;
  if (completed) {
    const { job, parse } = completed;
    if (completed.logged !== logs.length) throw new StaleLogEnd();
    const logged: BusEvent[] = logs.length
      ? [{ topic: 'logs', jobId: job.id, fromSeq: logs[0]!.seq, toSeq: logs[logs.length - 1]!.seq }]
      : [];
    const events = input.channel ? [] : [...logged, jobEvent(job)];
    if (limitOf(config, job) !== null) events.push(...(await freeLimitSlot(trx, job)));
    return { job, events, fresh: true, settled: job.status !== 'COMPLETED', parse };
  }
  const job = await lockHeldJob(trx, input.jobId, input.runnerId);
  const late = job.status === 'FAILED' && job.failure_reason === 'HEARTBEAT_TIMEOUT';
  if (job.status !== 'RUNNING' && !late) {
    const repeat =
      job.status === 'COMPLETED' ||
      job.status === 'PROCESSED' ||
      (job.status === 'FAILED' && job.finished_at !== null && job.processed_at !== null);
    if (repeat) return { job, events: [], fresh: false };
    throw invalidTransition(job, 'complete the job', job.status === 'CLAIMED' ? 'call startJob first' : '');
  }
  await insertOutputs(trx, job.id, input.outputs, input.now);
  await recordRunnerNoise(trx, input.noise ?? null, input.runnerId, input.now);
  const patch = {
    status: 'COMPLETED',
    exit_code: input.exitCode,
    failure_reason: null,
    failure_message: null,
    ...noisePatch(input.noise ?? null),
  };
  if (!late) return { ...(await leaveFlight(trx, config, job, patch, input.now)), fresh: true };
  // Already out of flight (the sweeper freed its slot): bill the full run, keep the slot free.
  const minutes = job.started_at ? await recordUsage(trx, job, input.now) : 0;
  const done = await trx
    .updateTable('job')
    .set({ ...patch, finished_at: input.now, billed_minutes: minutes })
    .where('id', '=', job.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { job: done, events: [jobEvent(done)], fresh: true };
}

async function insertOutputs(trx: Database, jobId: string, outputs: JobOutputInput[], now: Date) {
  if (!outputs.length) return;
  await trx
    .insertInto('job_output')
    .values(
      outputs.map((o) => ({
        job_id: jobId,
        iteration: o.iteration,
        exit_code: o.exitCode,
        files: JSON.stringify(o.files ?? {}),
        stdout: o.stdout,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['job_id', 'iteration']).doNothing())
    .execute();
}
