import type { Database } from '../db/database.js';
import { BenchlineError } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import { lockHeldJob } from './held-job.js';
import { invalidTransition } from './transition-error.js';

export interface DecodedChunk {
  stream: 'STDOUT' | 'STDERR';
  seq: number;
  data: Buffer;
}

/**
 * The careful append, for what the one-statement path leaves: under the job's row lock, a new
 * statement (READ COMMITTED: a snapshot taken after the lock) reads the log's end, so concurrent
 * appends of one job are serialized exactly. Chunks sorted by seq, without repeats.
 */
export async function appendLogsLocked(
  trx: Database,
  input: { jobId: string; runnerId: string; now: Date },
  chunks: DecodedChunk[],
): Promise<{ nextSeq: number; events: BusEvent[]; stored: DecodedChunk[] }> {
  const job = await lockHeldJob(trx, input.jobId, input.runnerId);
  const last = await trx
    .selectFrom('job_log_chunk')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('job_id', '=', job.id)
    .executeTakeFirst();
  let next = last?.seq == null ? 0 : Number(last.seq) + 1;
  const fresh = chunks.filter((c) => c.seq >= next);
  if (fresh.length === 0) return { nextSeq: next, events: [], stored: [] };
  const open =
    job.status === 'CLAIMED' ||
    job.status === 'RUNNING' ||
    (job.status === 'FAILED' && job.failure_reason === 'HEARTBEAT_TIMEOUT');
  if (!open) throw invalidTransition(job, 'append logs');
  const fromSeq = next;
  for (const chunk of fresh) {
    if (chunk.seq !== next) {
      throw new BenchlineError(
        'LOG_GAP',
        `log chunk ${chunk.seq} would leave a gap: the next chunk must be ${next}; resend from there`,
        { expectedSeq: next },
      );
    }
    next++;
  }
  await trx
    .insertInto('job_log_chunk')
    .values(
      fresh.map((c) => ({
        job_id: job.id,
        seq: c.seq,
        stream: c.stream,
        data: c.data,
        created_at: input.now,
      })),
    )
    .onConflict((oc) => oc.columns(['job_id', 'seq']).doNothing())
    .execute();
  return {
    nextSeq: next,
    events: [{ topic: 'logs', jobId: job.id, fromSeq, toSeq: next - 1 }],
    stored: fresh,
  };
}
