import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import { claimJob } from './claim-job.js';
import { type ClaimWaiters, claimWaitersFor, type WakeUp } from './claim-waiters.js';
import type { Claimed } from './claimed-spec.js';
import { publishAll } from './events.js';
import { releaseHandedJob } from './release-handed-job.js';
import { startJob } from './start-job.js';

export const MAX_WAIT_SECONDS = 60;

export interface WaitForJobInput {
  runnerId: string;
  specIds: string[];
  waitSeconds: number;
  now: () => Date;
  /** Aborted when the caller went away: stop waiting rather than claim a job nobody receives. */
  signal?: AbortSignal;
  /** Answer with the job RUNNING, as startJob would leave it (mark-claimed.ts: ClaimAs). */
  start?: boolean;
  /**
   * The long-poll lane (ServerDeps.pollDb): the attempt on arrival runs there, as the runner is
   * idle and the queue most likely empty for it; an attempt after a wake-up is for a job, and runs
   * on `db` with the rest of a job's traffic.
   */
  pollDb?: Database;
}

/**
 * Long-poll claim: claims at once when a job is eligible; otherwise sleeps until a queue event
 * for one of the specs (or a resync) wakes it, then tries again, until `waitSeconds` pass. A job
 * created on this server meanwhile may instead be claimed for it by the creating statement and
 * handed over at commit (claim-waiters.ts). The database is queried only on arrival and on such
 * a wake-up, never on a timer, and not at all while its specs are known to hold no PENDING job
 * (quiet-specs.ts).
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
    const registration = waiters.register(input.specIds, input.runnerId, input.start === true);
    let claimed: Claimed | null;
    try {
      await registration.ready;
      // Known to hold no PENDING job since a claim saw it so, and not an event since: nothing to
      // ask the database (quiet-specs.ts). Registered and ready, this claimer hears the next one.
      const token = waiters.quiet.token();
      claimed = waiters.quiet.allQuiet(input.specIds)
        ? null
        : await claimJob(woken ? db : (input.pollDb ?? db), config, {
            runnerId: input.runnerId,
            specIds: input.specIds,
            now: input.now(),
            channel: events.sqlChannel,
            start: input.start,
            onQueueEmpty: () => waiters.quiet.mark(input.specIds, token),
          });
    } catch (error) {
      passOn(waiters, registration.stop());
      throw error;
    }
    if (claimed) {
      // There may be more where this came from: let the next idle runner look. A wake-up that
      // arrived during this claim was for another job: hand it on too.
      if (woken) waiters.nudge(claimed.job.spec_id);
      passOn(waiters, registration.stop());
      return claimed;
    }
    // Past the deadline this only returns a wake-up that raced it: it was meant for this runner,
    // which then looks once more before leaving.
    const wake = await registration.sleep(deadline - Date.now(), input.signal);
    if (wake.kind === 'timeout') return null;
    if (wake.kind === 'handed') {
      if (!input.signal?.aborted)
        return input.start && wake.claimed.job.status === 'CLAIMED'
          ? { ...(await startHanded(db, events, wake.claimed, input.now())), announced: true }
          : { ...wake.claimed, announced: true };
      // Nobody would receive it: back to the queue for another runner.
      await releaseHandedJob(db, wake.claimed.job, events);
      return null;
    }
    woken = true;
  }
}

/**
 * The creating statement starts a job handed to a claimer that asked to start (claim-waiters.ts
 * passes the flag); should one arrive CLAIMED all the same, it is started here, in the claim's own
 * request, so the answer is what the claimer asked for.
 */
async function startHanded(db: Database, events: EventBus, claimed: Claimed, now: Date): Promise<Claimed> {
  const { job, events: started } = await startJob(db, {
    jobId: claimed.job.id,
    runnerId: claimed.job.runner_id as string,
    now,
    channel: events.sqlChannel,
  });
  await publishAll(events, started);
  return { job, spec: claimed.spec };
}

/** Passes on a wake-up this claimer no longer needs. */
function passOn(waiters: ClaimWaiters, wake: WakeUp | null): void {
  if (wake?.kind === 'event') waiters.wake(wake.specId);
}
