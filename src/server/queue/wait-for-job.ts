import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import { claimJob } from './claim-job.js';
import { claimWaitersFor } from './claim-waiters.js';
import type { Claimed } from './claimed-spec.js';

export const MAX_WAIT_SECONDS = 60;

export interface WaitForJobInput {
  runnerId: string;
  specIds: string[];
  waitSeconds: number;
  now: () => Date;
  /** Aborted when the caller went away: stop waiting rather than claim a job nobody receives. */
  signal?: AbortSignal;
}

/**
 * Long-poll claim: claims at once when a job is eligible; otherwise sleeps until a queue event
 * for one of the specs (or a resync) wakes it, then tries again, until `waitSeconds` pass.
 * The database is queried only on such a wake-up, never on a timer.
 */
export async function waitForJob(
  db: Database,
  config: Config,
  events: EventBus,
  input: WaitForJobInput,
): Promise<Claimed | null> {
  const waiters = claimWaitersFor(events);
  const waitMs = Math.max(0, Math.min(input.waitSeconds, MAX_WAIT_SECONDS)) * 1000;
  const deadline = Date.now() + waitMs;
  let woken = false;
  for (;;) {
    const registration = waiters.register(input.specIds);
    let wasWaiting = true;
    try {
      const claimed = await claimJob(db, config, {
        runnerId: input.runnerId,
        specIds: input.specIds,
        now: input.now(),
        channel: events.sqlChannel,
      });
      if (claimed) {
        // There may be more where this came from: let the next idle runner look. A wake-up that
        // arrived during this claim was for another job: hand it on too.
        if (woken) waiters.nudge(claimed.job.spec_id);
        if (!registration.cancel()) {
          const specId = await registration.woken;
          if (specId === null) waiters.wakeAll();
          else waiters.nudge(specId);
        }
        return claimed;
      }
      if (!woken && deadline - Date.now() <= 0) return null;
      woken = await sleepUntilWoken(registration.woken, deadline - Date.now(), input.signal);
    } finally {
      wasWaiting = registration.cancel();
    }
    // A wake-up that raced the deadline was meant for this runner: look once more before leaving.
    if (!woken && wasWaiting) return null;
    woken = true;
  }
}

function sleepUntilWoken(woken: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    woken.then(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
  });
}
