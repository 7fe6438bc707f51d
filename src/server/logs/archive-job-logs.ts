import type { Database } from '../db/database.js';
import { type LogChunk, readChunks } from '../live/log-chunks.js';
import type { BlobStore } from '../registry/blob-store.js';
import { encodeArchive } from './archive-format.js';

export interface ArchiveOptions {
  /** Jobs whose logs are due: finished before this instant. */
  finishedBefore: Date;
  now: Date;
  /** Jobs per call; the sweep calls again while there are more. */
  batch?: number;
}

export interface ArchiveResult {
  jobs: number;
  chunks: number;
  /** Compressed bytes written. */
  bytes: number;
}

/** Where a job's archived log lives in the blob store. */
export const archiveKey = (jobId: string) => `job-logs/${jobId}.ndjson.gz`;

const PAGE = 1000;
/** Final states only: a COMPLETED job still awaits processing, and a running one still writes. */
const FINAL = ['PROCESSED', 'FAILED', 'CANCELED'] as const;

/**
 * Moves the logs of jobs finished before `finishedBefore` from job_log_chunk into one compressed
 * object each. Per job, under its row lock: write the object, then delete the rows and record the
 * object on the job in the same transaction. A crash before the commit leaves the rows (and maybe an
 * object the next attempt overwrites with the same bytes); servers sweeping at once skip each
 * other's jobs. Running it twice archives nothing twice.
 */
export async function archiveJobLogs(
  db: Database,
  store: BlobStore,
  options: ArchiveOptions,
): Promise<ArchiveResult> {
  const result: ArchiveResult = { jobs: 0, chunks: 0, bytes: 0 };
  const due = await db
    .selectFrom('job')
    .select('id')
    .where('log_archived_at', 'is', null)
    .where('finished_at', 'is not', null)
    .where('finished_at', '<', options.finishedBefore)
    .where('status', 'in', FINAL)
    .orderBy('finished_at')
    .limit(options.batch ?? 50)
    .execute();
  for (const { id } of due) {
    await db.transaction().execute(async (trx) => {
      const job = await trx
        .selectFrom('job')
        .select('id')
        .where('id', '=', id)
        .where('log_archived_at', 'is', null)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!job) return;
      let count = 0;
      async function* pages(): AsyncIterable<LogChunk[]> {
        let from = 0;
        for (;;) {
          const page = await readChunks(trx, id, from, PAGE);
          count += page.length;
          yield page;
          if (page.length < PAGE) return;
          from = page[page.length - 1].seq + 1;
        }
      }
      const first = await trx
        .selectFrom('job_log_chunk')
        .select('seq')
        .where('job_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      if (!first) {
        // Nothing to move; marking it keeps the sweep from looking at it again.
        await trx.updateTable('job').set({ log_archived_at: options.now }).where('id', '=', id).execute();
        return;
      }
      const key = archiveKey(id);
      const bytes = await store.putObject(key, encodeArchive(pages()));
      await trx.deleteFrom('job_log_chunk').where('job_id', '=', id).execute();
      await trx
        .updateTable('job')
        .set({
          log_archive_key: key,
          log_archive_bytes: bytes,
          log_archive_chunks: count,
          log_archived_at: options.now,
        })
        .where('id', '=', id)
        .execute();
      result.jobs++;
      result.chunks += count;
      result.bytes += bytes;
    });
  }
  return result;
}
