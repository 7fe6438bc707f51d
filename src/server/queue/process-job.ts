import { type Selectable, sql } from 'kysely';
import type { Config } from '../config.js';
import { decideConfirmation } from '../confirmation/decide-confirmation.js';
import { queueConfirmation } from '../confirmation/queue-confirmation.js';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import { BenchlineError } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import type { OutputLimits } from '../results/output-limits.js';
import type { ParseSettings } from '../results/parse-output.js';
import { processResults } from '../results/process-results.js';
import { jobEvent, notifyJobEvent } from './events.js';
import { readJobConfig } from './job-config.js';
import { recordProcessingFailure } from './processing-failure.js';

/** The failure message of a job whose workload exited nonzero. */
export const nonzeroExitMessage = (exitCode: number) => `the benchmark exited with code ${exitCode}`;

interface OutputRow {
  iteration: number;
  files: unknown;
  stdout: string | null;
}

/**
 * One raw output per iteration: the output files' contents when the job named files (joined in
 * the order the job listed them), else that iteration's stdout.
 */
export function iterationResults(filePaths: string[], outputs: OutputRow[]): string[] {
  return [...outputs]
    .sort((a, b) => a.iteration - b.iteration)
    .map((output) => {
      if (filePaths.length === 0) return output.stdout ?? '';
      const files = (output.files ?? {}) as Record<string, unknown>;
      return filePaths
        .filter((path) => typeof files[path] === 'string')
        .map((path) => files[path] as string)
        .join('\n');
    });
}

/**
 * COMPLETED → PROCESSED: parses the stored outputs into the report, in one transaction with the
 * status change. A parse failure is the run's fault: FAILED with PROCESSING_ERROR and the message
 * kept on the report. A nonzero exit ends FAILED with NONZERO_EXIT, keeping whatever parsed.
 * Any other error is recorded (processing-failure.ts): FAILED once permanent or out of attempts,
 * else COMPLETED for the sweeper to retry after a backoff. Safe to call twice: only
 * the caller that finds the job still COMPLETED processes it.
 */
export async function processJob(
  db: Database,
  config: Config,
  input: { jobId: string; now: Date },
): Promise<{ job: Selectable<Job> | undefined; events: BusEvent[]; error?: unknown }> {
  return db.transaction().execute(async (trx) => {
    const job = await trx
      .selectFrom('job')
      .selectAll()
      .where('id', '=', input.jobId)
      .forUpdate()
      .executeTakeFirst();
    if (job?.status !== 'COMPLETED') return { job, events: [] };
    const outputs = await trx
      .selectFrom('job_output')
      .select(['iteration', 'files', 'stdout'])
      .where('job_id', '=', job.id)
      .execute();
    const limits = { limits: config.outputLimits, tiers: config.tiers };
    try {
      return await processCompleted(trx, job, outputs, { now: input.now, ...limits });
    } catch (error) {
      // processCompleted rolled back to its savepoint: the job is as it was, COMPLETED and locked.
      return { ...(await recordProcessingFailure(trx, config, job, error, input.now)), error };
    }
  });
}

/**
 * The processing itself, for a COMPLETED job locked in the caller's transaction whose outputs the
 * caller has at hand (completeJob just stored them), and maybe how its report parses them (`parse`,
 * which saves processing a statement).
 *
 * With `savepoint`, a parse failure is recorded (FAILED, PROCESSING_ERROR) and any other error is
 * thrown with the transaction as it was before processing. Without it, every error is thrown and
 * the transaction is the caller's to roll back: one statement fewer for the common case.
 */
export async function processCompleted(
  trx: Database,
  job: Selectable<Job>,
  outputs: OutputRow[],
  input: {
    now: Date;
    channel?: string;
    parse?: ParseSettings;
    limits?: OutputLimits;
    /** The tiers' settings: a confirmation it queues gets its tier's timeout cap. */
    tiers: Config['tiers'];
  },
  {
    savepoint,
    settled = false,
  }: {
    savepoint: boolean;
    /**
     * The completing statement already set the final status (complete-running.ts: `settle`):
     * processing only adds the results, and a throw is the caller's to roll back.
     */
    settled?: boolean;
  } = { savepoint: true },
): Promise<{ job: Selectable<Job>; events: BusEvent[] }> {
  const confirmation = job.kind === 'CONFIRMATION';
  const confirmEvents: BusEvent[] = [];
  const process = async () => {
    // A confirmation decides its report's alerts; a failed workload's outputs decide nothing
    // (the job fails below, and the trigger marks its alerts CONFIRMATION_FAILED).
    if (confirmation) {
      if ((job.exit_code ?? 0) === 0) await decideConfirmation(trx, job, outputs, input.now);
      return;
    }
    const results = iterationResults(readJobConfig(job.config).filePaths ?? [], outputs);
    const summary = await processResults(trx, {
      reportId: job.report_id,
      results,
      now: input.now,
      parse: input.parse,
      limits: input.limits,
    });
    if (summary.alerts > 0)
      confirmEvents.push(
        ...(await queueConfirmation(trx, job, summary.alertIds, input.now, input.tiers, input.channel)),
      );
  };
  let parseError: string | null = null;
  if (settled) {
    await process();
    return { job, events: confirmEvents };
  }
  if (!savepoint) {
    await process();
  } else {
    await sql`SAVEPOINT process_results`.execute(trx);
    try {
      await process();
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT process_results`.execute(trx);
      if (!(error instanceof BenchlineError)) throw error;
      parseError = error.message;
      confirmEvents.length = 0;
      // The report's error is its run's; a confirmation's stays on its job.
      if (!confirmation)
        await trx.updateTable('report').set({ error: parseError }).where('id', '=', job.report_id).execute();
    }
  }
  const nonzero = (job.exit_code ?? 0) !== 0;
  const failed = nonzero || parseError !== null;
  const reason = nonzero ? 'NONZERO_EXIT' : parseError ? 'PROCESSING_ERROR' : null;
  const message = nonzero
    ? `${nonzeroExitMessage(job.exit_code ?? 0)}${parseError ? `; ${parseError}` : ''}`
    : parseError;
  // Prepared: once per completion, and its text only varies with whether there is a channel.
  const { rows } = await sql<Selectable<Job> & { notified: unknown }>`${sql.raw(PREPARED)}
    WITH done AS (
      UPDATE job SET status = ${failed ? 'FAILED' : 'PROCESSED'}, processed_at = ${input.now},
        failure_reason = ${reason}, failure_message = ${message}
      WHERE id = ${job.id}
      RETURNING *
    )
    SELECT done.*, ${notifyJobEvent(input.channel, 'done')} AS notified FROM done
  `.execute(trx);
  const { notified: _, ...done } = rows[0]!;
  return { job: done, events: input.channel ? confirmEvents : [jobEvent(done), ...confirmEvents] };
}
