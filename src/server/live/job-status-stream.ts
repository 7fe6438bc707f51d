import type { Database } from '../db/database.js';
import { notFound } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { liveHub } from './hub.js';
import {
  isFinal,
  isTerminal,
  type JobRow,
  type LateCompletion,
  stateKey,
  wakeAtGraceEnd,
} from './job-state.js';
import { LiveIterator } from './live-iterator.js';

/** States kept for a consumer that is not reading; a job has only a handful of them. */
const MAX_QUEUED = 16;

/**
 * A job's state: the current row first, then every change (the row is re-read on each `job`
 * event; identical states are sent once); it ends after a terminal state — for a job failed by a
 * missed heartbeat, once the late-completion grace is over or the job changed again.
 */
export function jobStatusStream(
  db: Database,
  events: EventBus,
  jobId: string,
  late?: LateCompletion,
): LiveIterator<JobRow> {
  const queue: JobRow[] = [];
  let lastKey = '';
  let sawTerminal = false;
  const stream = new LiveIterator<JobRow>(pull);
  const lease = liveHub(db, events).watchJob(jobId, () => {
    capture();
    stream.wake();
  });
  let cancelTimer = () => {};
  stream.onEnd(() => {
    cancelTimer();
    lease.release();
  });
  const { watch } = lease;

  function capture(): void {
    const row = watch.row;
    if (!row || sawTerminal) return;
    const key = stateKey(row);
    if (key === lastKey) return;
    lastKey = key;
    queue.push(row);
    // The newest state always survives; a consumer this far behind misses intermediate ones.
    if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED);
    // A heartbeat failure is sent, but the stream waits through the grace for a late completion.
    if (isFinal(row, late)) sawTerminal = true;
    else if (isTerminal(row.status)) {
      cancelTimer();
      cancelTimer = wakeAtGraceEnd(row, late, () => stream.wake());
    }
  }

  async function pull() {
    await watch.ready.catch(() => watch.refresh());
    if (watch.row === null) throw notFound('job', 'check the id (benchline job list)');
    // A watch shared with earlier streams has read already and will not notify for this one.
    capture();
    const items = queue.splice(0);
    const current = watch.row;
    const graceOver = current != null && isFinal(current, late);
    return { items, done: items.some((row) => isFinal(row, late)) || graceOver };
  }

  return stream;
}
