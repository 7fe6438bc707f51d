import type { Selectable } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { BenchlineError } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import { jobEvent } from './events.js';

/**
 * - transient: the database was unreachable, restarting, out of resources, or chose this
 *   transaction as a deadlock or serialization victim: the same work may well succeed later.
 * - permanent: the data itself is refused (a data exception, an integrity violation, a typed
 *   error of ours): the same work fails the same way every time.
 * - unknown: anything else (a bug, a trigger); retried, but counted.
 */
export type ProcessingFailureKind = 'transient' | 'permanent' | 'unknown';

const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58']);
const TRANSIENT_STATES = new Set(['55P03', '55006']);
const PERMANENT_CLASSES = new Set(['22', '23']);
const TRANSIENT_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Told apart by the error's type and SQLSTATE, never by its message. */
export function classifyProcessingError(error: unknown): ProcessingFailureKind {
  if (error instanceof BenchlineError) return 'permanent';
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return 'unknown';
  if (TRANSIENT_NODE_CODES.has(code)) return 'transient';
  if (!/^[0-9A-Z]{5}$/.test(code)) return 'unknown';
  if (TRANSIENT_STATES.has(code) || TRANSIENT_CLASSES.has(code.slice(0, 2))) return 'transient';
  if (PERMANENT_CLASSES.has(code.slice(0, 2))) return 'permanent';
  return 'unknown';
}

/** Delay before attempt `attempts + 1`: the configured first delay, doubled per attempt, at most an hour. */
export function processingBackoffMs(config: Config, attempts: number): number {
  return Math.min(3_600_000, config.processingRetrySeconds * 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Records a failed processing of a COMPLETED job (locked by the caller, whose transaction is as it
 * was before processing): a permanent failure, or the last allowed attempt, ends it FAILED with
 * PROCESSING_ERROR and the reason; otherwise it stays COMPLETED and the sweeper tries again after
 * a backoff. Transient failures are not counted against the attempts.
 */
export async function recordProcessingFailure(
  trx: Database,
  config: Config,
  job: Selectable<Job>,
  error: unknown,
  now: Date,
): Promise<{ job: Selectable<Job>; events: BusEvent[]; kind: ProcessingFailureKind }> {
  const kind = classifyProcessingError(error);
  const attempts = job.processing_attempts + (kind === 'transient' ? 0 : 1);
  if (kind === 'permanent' || attempts >= config.processingAttempts) {
    const reason = error instanceof Error ? error.message : String(error);
    const message =
      attempts > 1
        ? `result processing failed ${attempts} times: ${reason}`
        : `result processing failed: ${reason}`;
    await trx.updateTable('report').set({ error: message }).where('id', '=', job.report_id).execute();
    const done = await trx
      .updateTable('job')
      .set({
        status: 'FAILED',
        processed_at: now,
        failure_reason: 'PROCESSING_ERROR',
        failure_message: message,
        processing_attempts: attempts,
        next_processing_at: null,
      })
      .where('id', '=', job.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { job: done, events: [jobEvent(done)], kind };
  }
  const next = new Date(now.getTime() + processingBackoffMs(config, Math.max(1, attempts)));
  const waiting = await trx
    .updateTable('job')
    .set({ processing_attempts: attempts, next_processing_at: next })
    .where('id', '=', job.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { job: waiting, events: [], kind };
}
