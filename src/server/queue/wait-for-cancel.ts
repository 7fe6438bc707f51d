import type { Database } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import { type CancelWake, cancelWaitersFor } from './cancel-waiters.js';
import { heartbeatBatchOf } from './heartbeat-batch.js';
import { heartbeatJob } from './heartbeat-job.js';

export interface HeartbeatWaitInput {
  jobId: string;
  runnerId: string;
  /** How long to hold the answer while nothing happens; clamped to a third of the heartbeat timeout. */
  waitSeconds: number;
  heartbeatTimeoutSeconds: number;
  now: () => Date;
  /** Aborted when the runner went away (it finished the job, or hung up). */
  signal?: AbortSignal;
}

/**
 * A heartbeat held open as a long-poll: records the beat, then answers `cancel: true` as soon as
 * a cancel for the job is announced (on any server: the bus carries it), or `cancel: false` once
 * the wait is over. A runner learns of a cancel within the bus's latency instead of at its next
 * beat, and beats once per wait instead of every couple of seconds. The wait stays well inside
 * the heartbeat timeout, so a beat in progress never lets the job look dead.
 */
export async function heartbeatAndWait(
  db: Database,
  events: EventBus,
  input: HeartbeatWaitInput,
): Promise<{ cancel: boolean }> {
  const waitMs =
    Math.max(0, Math.min(input.waitSeconds, Math.floor(input.heartbeatTimeoutSeconds / 3))) * 1000;
  const beat = { jobId: input.jobId, runnerId: input.runnerId, now: input.now() };
  // Batched on a server that runs the queue extension: answered from memory when it may be.
  const batch = heartbeatBatchOf(events);
  const record = (now: Date) =>
    (batch ? batch.beat({ ...beat, now }) : heartbeatJob(db, { ...beat, now })).then(({ cancel }) => ({
      cancel,
    }));
  if (waitMs === 0) return record(beat.now);
  const registration = cancelWaitersFor(events).register(input.jobId);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await registration.ready;
    const answer = await record(beat.now);
    if (answer.cancel || input.signal?.aborted) return answer;
    const why = await new Promise<CancelWake | 'done'>((resolve) => {
      timer = setTimeout(() => resolve('done'), waitMs);
      onAbort = () => resolve('done');
      input.signal?.addEventListener('abort', onAbort, { once: true });
      registration.woken.then(resolve);
    });
    if (why === 'cancel') return { cancel: true };
    // Events may have been missed while the bus was down: the job's own row says.
    if (why === 'resync') return record(input.now());
    return answer;
  } finally {
    clearTimeout(timer);
    registration.cancel();
    if (onAbort) input.signal?.removeEventListener('abort', onAbort);
  }
}
