import type { Database } from '../db/database.js';
import { BenchlineError, badInput } from '../errors.js';
import type { BusEvent } from '../events/bus.js';
import { lockHeldJob } from './held-job.js';
import { invalidTransition } from './transition-error.js';

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
 */
export async function appendJobLogs(
  db: Database,
  input: { jobId: string; runnerId: string; chunks: LogChunkInput[]; now: Date },
): Promise<{ nextSeq: number; events: BusEvent[] }> {
  const chunks = [...input.chunks].sort((a, b) => a.seq - b.seq);
  const decoded = chunks.map((c) => {
    if (!Number.isInteger(c.seq) || c.seq < 0)
      throw badInput(`seq ${c.seq} is not a whole number ≥ 0`, 'seq');
    if (!BASE64.test(c.data)) throw badInput(`chunk ${c.seq} is not base64`, 'data');
    const data = Buffer.from(c.data, 'base64');
    if (data.length > MAX_CHUNK_BYTES) throw badInput(`chunk ${c.seq} is over 1 MiB; split it`, 'data');
    return { ...c, data };
  });
  return db.transaction().execute(async (trx) => {
    const job = await lockHeldJob(trx, input.jobId, input.runnerId);
    const last = await trx
      .selectFrom('job_log_chunk')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('job_id', '=', job.id)
      .executeTakeFirst();
    let next = last?.seq == null ? 0 : Number(last.seq) + 1;
    // A seq repeated within one call is a retry inside the batch: keep its first copy.
    const fresh = decoded.filter((c, i) => c.seq >= next && (i === 0 || decoded[i - 1]!.seq !== c.seq));
    if (fresh.length === 0) return { nextSeq: next, events: [] };
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
    return { nextSeq: next, events: [{ topic: 'logs', jobId: job.id, fromSeq, toSeq: next - 1 }] };
  });
}
