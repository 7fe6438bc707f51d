import type { EventBus } from '../events/bus.js';
import { perBus } from '../events/per-bus.js';

interface Waiter {
  specIds: ReadonlySet<string>;
  /** The spec whose event woke it; null: everyone was woken. */
  wake(specId: string | null): void;
}

/**
 * The runners of one server that wait in claimJob. A `queue` event wakes ONE waiter serving its
 * spec (a job is claimed once; waking every runner for it would be a thundering herd); the one
 * woken passes the baton on after a successful claim (`nudge`), so a burst of jobs reaches
 * idle runners one after another. A `queue` event without a spec, or a bus resync (events may
 * have been missed while the listener was down), wakes everyone to check once.
 */
export class ClaimWaiters {
  private waiters: Waiter[] = [];

  constructor(events: EventBus) {
    events.subscribe((event) => {
      if (event.topic !== 'queue') return;
      if (event.specId === null) this.wakeAll();
      else this.nudge(event.specId);
    });
    events.onResync(() => this.wakeAll());
  }

  /**
   * Registers before the caller's claim attempt, so an event arriving during the attempt is not
   * lost: `woken` then resolves at once.
   */
  register(specIds: string[]): { woken: Promise<string | null>; cancel(): boolean } {
    let wake!: (specId: string | null) => void;
    const woken = new Promise<string | null>((resolve) => {
      wake = resolve;
    });
    const waiter: Waiter = { specIds: new Set(specIds), wake };
    this.waiters.push(waiter);
    return {
      woken,
      /** Stops waiting; false when a wake-up already arrived (the caller then owes it a look). */
      cancel: () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        return i >= 0;
      },
    };
  }

  /** Wakes the longest-waiting runner that serves the spec. */
  nudge(specId: string): void {
    const i = this.waiters.findIndex((w) => w.specIds.has(specId));
    if (i < 0) return;
    const [waiter] = this.waiters.splice(i, 1);
    waiter!.wake(specId);
  }

  wakeAll(): void {
    const all = this.waiters;
    this.waiters = [];
    for (const waiter of all) waiter.wake(null);
  }

  get size(): number {
    return this.waiters.length;
  }
}

/** The waiting claims of a server. */
export const claimWaitersFor = perBus((events) => new ClaimWaiters(events));
