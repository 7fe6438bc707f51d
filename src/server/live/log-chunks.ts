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

/** Reads a finished job's log from the blob store once the archive sweep moved it there (src/server/logs/). */
export interface ArchivedLogSource {
  read(jobId: string, key: string, fromSeq: number, limit: number): Promise<LogChunk[]>;
}

/**
 * Like readChunks, and transparent to archival: when the table has nothing from `fromSeq` on, the
 * job's archive (if it has one) answers. The archive key is read after the rows: the sweep deletes
 * the rows and sets the key in one transaction, so either the rows or the key are seen.
 */
export async function readJobChunks(
  db: Database,
  archive: ArchivedLogSource | undefined,
  jobId: string,
  fromSeq: number,
  limit: number,
): Promise<LogChunk[]> {
  const rows = await readChunks(db, jobId, fromSeq, limit);
  if (rows.length) return rows;
  const job = await db.selectFrom('job').select('log_archive_key').where('id', '=', jobId).executeTakeFirst();
  if (!job?.log_archive_key) return rows;
  if (!archive)
    throw new Error('this job’s log was archived, and this server has no blob store to read it from');
  return archive.read(jobId, job.log_archive_key, fromSeq, limit);
}
