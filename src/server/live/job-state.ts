import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';

export type JobRow = Selectable<Job>;

/** COMPLETED is not terminal: result processing follows and may still fail the job. */
const TERMINAL = new Set(['PROCESSED', 'FAILED', 'CANCELED']);

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

/**
 * How long a job failed for a missed heartbeat may still end otherwise: its runner may be alive
 * behind a server that died, and its retried completion still wins (docs/queue.md). Streams stay
 * open that long so a watcher sees the real end; `now` is the server's clock.
 */
export interface LateCompletion {
  graceMs: number;
  now: () => number;
}

/** When a terminal row may still change: a HEARTBEAT_TIMEOUT failure until its grace is over. */
export function openUntil(row: JobRow, late: LateCompletion | undefined): number | null {
  if (!late || row.status !== 'FAILED' || row.failure_reason !== 'HEARTBEAT_TIMEOUT') return null;
  const until = (row.finished_at ?? row.processed_at)?.getTime();
  if (until === undefined) return null;
  return until + late.graceMs > late.now() ? until + late.graceMs : null;
}

/** Terminal, and no late completion can still change it. */
export function isFinal(row: JobRow, late: LateCompletion | undefined): boolean {
  return isTerminal(row.status) && openUntil(row, late) === null;
}

/** Wakes `wake` once when the row's grace ends (an unref'd timer); returns a canceller. */
export function wakeAtGraceEnd(row: JobRow, late: LateCompletion | undefined, wake: () => void): () => void {
  const until = openUntil(row, late);
  if (until === null || !late) return () => {};
  const timer = setTimeout(wake, Math.max(0, until - late.now()) + 5);
  timer.unref();
  return () => clearTimeout(timer);
}

export function readJob(db: Database, jobId: string): Promise<JobRow | undefined> {
  return db.selectFrom('job').selectAll().where('id', '=', jobId).executeTakeFirst();
}

/**
 * Two reads of a job are the same state when nothing but the heartbeat moved; a heartbeat is
 * not a change a watcher needs to hear about.
 */
export function stateKey(row: JobRow): string {
  const { last_heartbeat_at: _heartbeat, ...rest } = row;
  return JSON.stringify(rest);
}
