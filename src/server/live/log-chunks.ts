import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { JobLogChunk } from '../db/schema.js';

/** A stored chunk, as the table has it (job_id, seq, stream STDOUT|STDERR, data, created_at). */
export type LogChunk = Selectable<JobLogChunk>;

/** One bounded page of a job's stored chunks from `fromSeq` on, in seq order. */
export async function readChunks(
  db: Database,
  jobId: string,
  fromSeq: number,
  limit: number,
): Promise<LogChunk[]> {
  return db
    .selectFrom('job_log_chunk')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/**
 * The leading run of rows that continues exactly at `next`. A later seq can become visible
 * before an earlier one commits; stopping at the hole keeps a stream gapless, and the earlier
 * chunk's own event brings the reader back.
 */
export function contiguous(rows: LogChunk[], next: number): LogChunk[] {
  let n = 0;
  while (n < rows.length && rows[n]?.seq === next + n) n++;
  return n === rows.length ? rows : rows.slice(0, n);
}

/** The seq the next appended chunk will get (0 for a job without output). */
export async function nextSeq(db: Database, jobId: string): Promise<number> {
  const row = await db
    .selectFrom('job_log_chunk')
    .select((eb) => eb.fn.max('seq').as('max'))
    .where('job_id', '=', jobId)
    .executeTakeFirst();
  return row?.max == null ? 0 : Number(row.max) + 1;
}
