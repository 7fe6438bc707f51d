import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import { badInput } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import { appendLogsLocked, type DecodedChunk } from './append-logs-locked.js';

export interface LogChunkInput {
  stream: 'STDOUT' | 'STDERR';
  seq: number;
  /** base64 */
  data: string;
}

const MAX_CHUNK_BYTES = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Appends seq-numbered log chunks. The log is gapless from 0: chunks already stored (a retry)
 * are skipped, and a chunk past the next expected seq is refused with LOG_GAP naming the seq
 * to send, so the runner resends from there. Returns the next expected seq.
 *
 * The usual call (new chunks that continue the log) is one autocommit statement; any other case
 * — a repeat, a gap, a job not open or not held — goes through the locked transaction.
 *
 * `stored` is what this call committed, in seq order (stored at `now`): the server hands it to its
 * own live subscribers without reading it back (src/server/live/hub.ts). It may leave out chunks
 * that were stored too (a retry's first statement that did not settle it); readers see the gap
 * and read the table.
 */
export async function appendJobLogs(
  db: Database,
  input: { jobId: string; runnerId: string; chunks: LogChunkInput[]; now: Date; channel?: string },
): Promise<{ nextSeq: number; events: BusEvent[]; stored: DecodedChunk[] }> {
  const chunks = decodeChunks(input.chunks);
  const fast = await appendContinuing(db, input, chunks);
  if (fast.done) return fast.done;
  const locked = await db.transaction().execute((trx) => appendLogsLocked(trx, input, chunks));
  return { nextSeq: locked.nextSeq, events: [...fast.events, ...locked.events], stored: locked.stored };
}

/**
 * `appendJobLogs` inside the caller's transaction (completeJob's, for the last batch that travels
 * with the result): the same statement, and the locked path in the same transaction when it
 * does not settle the call. Chunks as `decodeChunks` left them.
 */
export async function appendJobLogsIn(
  trx: Database,
  input: { jobId: string; runnerId: string; now: Date; channel?: string },
  chunks: DecodedChunk[],
): Promise<{ nextSeq: number; events: BusEvent[]; stored: DecodedChunk[] }> {
  const fast = await appendContinuing(trx, input, chunks);
  if (fast.done) return fast.done;
  const locked = await appendLogsLocked(trx, input, chunks);
  return { nextSeq: locked.nextSeq, events: [...fast.events, ...locked.events], stored: locked.stored };
}

/** Checks and decodes chunks (BAD_INPUT before any statement), sorted by seq, a repeated seq once. */
export function decodeChunks(input: LogChunkInput[]): DecodedChunk[] {
  const sorted = [...input].sort((a, b) => a.seq - b.seq);
  const decoded = sorted.map((c) => {
    if (!Number.isInteger(c.seq) || c.seq < 0)
      throw badInput(`seq ${c.seq} is not a whole number ≥ 0`, 'seq');
    if (!BASE64.test(c.data)) throw badInput(`chunk ${c.seq} is not base64`, 'data');
    const data = Buffer.from(c.data, 'base64');
    if (data.length > MAX_CHUNK_BYTES) throw badInput(`chunk ${c.seq} is over 1 MiB; split it`, 'data');
    return { ...c, data };
  });
  // A seq repeated within one call is a retry inside the batch: keep its first copy.
  return decoded.filter((c, i) => i === 0 || decoded[i - 1]!.seq !== c.seq);
}

/**
 * Inserts the chunks at or after the stored log's end when they continue it without a gap, the
 * job is open and this runner holds it; otherwise inserts nothing and returns no answer.
 *
 * The statement's snapshot may predate a concurrent append it waited for (the row lock), so its
 * idea of the log's end may be stale, but only ever too low. The answer is trusted only when every
 * chunk from that end was inserted without a conflict: then no chunk at or past it was stored by
 * anyone else, so the end was exact. Otherwise the locked path decides; what was inserted meanwhile
 * kept the log gapless (the range from the stale end up was contiguous, and stored chunks below it
 * exist), and it is announced either way.
 */
async function appendContinuing(
  db: Database,
  input: { jobId: string; runnerId: string; now: Date; channel?: string },
  chunks: DecodedChunk[],
): Promise<{
  done: { nextSeq: number; events: BusEvent[]; stored: DecodedChunk[] } | null;
  events: BusEvent[];
}> {
  if (chunks.length === 0) return { done: null, events: [] };
  const channel = input.channel ?? null;
  const { rows } = await sql<{
    from_seq: number;
    to_seq: number;
    fresh: number;
    inserted: number;
  }>`${sql.raw(PREPARED)}
    WITH held AS (
      SELECT id FROM job
      WHERE id = ${input.jobId} AND runner_id = ${input.runnerId}
        AND (status IN ('CLAIMED', 'RUNNING') OR (status = 'FAILED' AND failure_reason = 'HEARTBEAT_TIMEOUT'))
      FOR UPDATE
    ),
    stored AS (SELECT coalesce(max(seq) + 1, 0) AS next FROM job_log_chunk WHERE job_id = ${input.jobId}),
    fresh AS (
      SELECT c.* FROM unnest(${chunks.map((c) => c.seq)}::int[], ${chunks.map((c) => c.stream)}::text[],
        ${chunks.map((c) => c.data)}::bytea[]) AS c(seq, stream, data), stored
      WHERE c.seq >= stored.next
    ),
    span AS (SELECT count(*)::int AS n, min(seq) AS lo, max(seq) AS hi FROM fresh),
    inserted AS (
      INSERT INTO job_log_chunk (job_id, seq, stream, data, created_at)
      SELECT held.id, fresh.seq, fresh.stream, fresh.data, ${input.now}::timestamptz
      FROM held, fresh, span, stored
      WHERE span.n > 0 AND span.lo = stored.next AND span.hi - span.lo + 1 = span.n
      ON CONFLICT (job_id, seq) DO NOTHING
      RETURNING seq
    ),
    done AS (SELECT count(*)::int AS n FROM inserted)
    SELECT span.lo AS from_seq, span.hi AS to_seq, span.n AS fresh, done.n AS inserted,
      CASE WHEN done.n > 0 AND ${channel}::text IS NOT NULL THEN pg_notify(${channel}::text,
        json_build_object('topic', 'logs', 'jobId', ${input.jobId}::uuid, 'fromSeq', span.lo, 'toSeq', span.hi)::text)
      END AS notified
    FROM span, done
  `.execute(db);
  const row = rows[0];
  if (!row || row.inserted === 0) return { done: null, events: [] };
  const event: BusEvent = { topic: 'logs', jobId: input.jobId, fromSeq: row.from_seq, toSeq: row.to_seq };
  const events = input.channel ? [] : [event];
  if (row.inserted !== row.fresh) return { done: null, events };
  const stored = chunks.filter((c) => c.seq >= row.from_seq && c.seq <= row.to_seq);
  return { done: { nextSeq: row.to_seq + 1, events, stored }, events };
}
