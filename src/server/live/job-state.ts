import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';

export type JobRow = Selectable<Job>;

/** COMPLETED is not terminal: result processing follows and may still fail the job. */
const TERMINAL = new Set(['PROCESSED', 'FAILED', 'CANCELED']);

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
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
