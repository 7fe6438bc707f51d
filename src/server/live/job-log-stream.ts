import type { Database } from '../db/database.js';
import { notFound } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { liveHub } from './hub.js';
import { isFinal, isTerminal, type LateCompletion, wakeAtGraceEnd } from './job-state.js';
import { LiveIterator } from './live-iterator.js';
import { type ArchivedLogSource, contiguous, type LogChunk, readJobChunks } from './log-chunks.js';

export interface JobLogStreamOptions {
  /** Send chunks with a larger seq only; -1 (the default) sends the whole log. */
  afterSeq?: number;
  /** Chunks per read, and so the most a subscriber ever holds. */
  pageSize?: number;
  /** Where a finished job's log is once archived (services.logArchive). */
  archive?: ArchivedLogSource;
}

/**
 * A job's log from `afterSeq` on: stored chunks first, then live ones, in seq order without a
 * gap or a duplicate; it ends once the job is terminal and every chunk has been sent.
 *
 * The only per-subscriber state is `next`, the seq to send next. Events are hints that wake the
 * stream; what is sent always comes from the shared window or the table, starting at `next`.
 * The hub is subscribed to the bus before anything is read, so no append can fall between the
 * backlog and the live tail.
 */
const MAX_SEQ = 2_147_483_647;

export function jobLogStream(
  db: Database,
  events: EventBus,
  jobId: string,
  options: JobLogStreamOptions = {},
  late?: LateCompletion,
): LiveIterator<LogChunk> {
  const pageSize = Math.max(1, Math.min(options.pageSize ?? 100, 1000));
  // seq is an int4: past its largest value no chunk can follow, and the query must stay in range.
  let next = Math.min(Math.max(-1, options.afterSeq ?? -1) + 1, MAX_SEQ);
  const stream = new LiveIterator<LogChunk>(pull);
  const lease = liveHub(db, events).watchLogs(jobId, () => stream.wake());
  let cancelTimer = () => {};
  stream.onEnd(() => {
    cancelTimer();
    lease.release();
  });
  const { watch, feed } = lease;

  async function pull() {
    await watch.ready.catch(() => watch.refresh());
    await feed.ready;
    const job = watch.row;
    if (!job) throw notFound('job', 'check the id (benchline job list)');
    // Decide on the status read before the chunks: whatever was appended before it turned
    // terminal is then in the table when we read it below.
    // A job failed by a missed heartbeat may still get its runner's late chunks and completion.
    const terminal = isFinal(job, late);
    if (!terminal && isTerminal(job.status)) {
      cancelTimer();
      cancelTimer = wakeAtGraceEnd(job, late, () => stream.wake());
    }
    if (!terminal) {
      const shared = feed.slice(next, pageSize);
      if (shared) {
        next += shared.length;
        return { items: shared, done: false };
      }
      // Caught up with the feed: wait for the next event.
      if (next >= feed.next) return { items: [], done: false };
    }
    // Behind the shared window, or the job has finished: read the table.
    const rows = await readJobChunks(db, options.archive, jobId, next, pageSize);
    // A finished job gets no more chunks, so a hole in its log is permanent; do not wait on it.
    const items = terminal ? rows : contiguous(rows, next);
    const last = items.at(-1);
    if (last) next = last.seq + 1;
    return { items, done: terminal && rows.length < pageSize };
  }

  return stream;
}
