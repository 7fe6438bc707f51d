import { type EventBus, want } from '../events/bus.js';
import { perBus } from '../events/per-bus.js';

export type CancelWake = 'cancel' | 'resync';

/**
 * The heartbeats of one server that wait for a cancel, indexed by job: one bus subscription
 * serves them all, so an event costs a map lookup however many jobs are running. A `job` event
 * with `cancel` (or the job CANCELED) wakes that job's waiters; a bus resync wakes everyone to
 * read their job again (events may have been missed while the listener was down).
 */
export class CancelWaiters {
  private byJob = new Map<string, Set<(why: CancelWake) => void>>();

  constructor(private readonly events: EventBus) {
    events.subscribe((event) => {
      if (event.topic !== 'job' || !(event.cancel === true || event.status === 'CANCELED')) return;
      const waiters = this.byJob.get(event.jobId);
      if (!waiters) return;
      this.byJob.delete(event.jobId);
      for (const wake of waiters) wake('cancel');
    });
    events.onResync(() => {
      const all = this.byJob;
      this.byJob = new Map();
      for (const waiters of all.values()) for (const wake of waiters) wake('resync');
    });
  }

  /**
   * Registers before the caller reads the job (after `ready`), so a cancel committed meanwhile is
   * not missed.
   */
  register(jobId: string): { woken: Promise<CancelWake>; ready: Promise<void>; cancel(): void } {
    let wake!: (why: CancelWake) => void;
    const woken = new Promise<CancelWake>((resolve) => {
      wake = resolve;
    });
    let waiters = this.byJob.get(jobId);
    if (!waiters) {
      waiters = new Set();
      this.byJob.set(jobId, waiters);
    }
    waiters.add(wake);
    const interest = want(this.events, { topic: 'job', jobId });
    return {
      woken,
      ready: interest.ready,
      cancel: () => {
        interest.drop();
        const set = this.byJob.get(jobId);
        if (!set?.delete(wake)) return;
        if (set.size === 0) this.byJob.delete(jobId);
      },
    };
  }

  get size(): number {
    let n = 0;
    for (const set of this.byJob.values()) n += set.size;
    return n;
  }
}

/** The held heartbeats of a server. */
export const cancelWaitersFor = perBus((events) => new CancelWaiters(events));
