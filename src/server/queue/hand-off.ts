import type { Reservation } from './claim-waiters.js';
import type { Claimed } from './claimed-spec.js';

/**
 * A job created while runners slept in claimJob on this server (claim-waiters.ts): its statement
 * may have claimed it for one of them. Whoever owns the creating transaction settles it once the
 * transaction has ended; until then the sleeping runners are held.
 */
export class HandOff {
  constructor(
    private reservation: Reservation,
    /** The job as its statement left it, when that claimed it. */
    private claimed: Claimed | null,
  ) {}

  /** After commit: the claimed job reaches its runner's long-poll; the others wait on. */
  committed(): void {
    if (this.claimed?.job.runner_id) this.reservation.deliver(this.claimed.job.runner_id, this.claimed);
    else this.reservation.release();
  }

  /** After a rollback: nothing was claimed. */
  rolledBack(): void {
    this.reservation.release();
  }
}

/**
 * Runs a transaction (`run`) that may create a job, and settles the job's hand-off after it ends:
 * `keep` is given the HandOff that createJob returned.
 */
export async function settleHandOff<T>(
  run: (keep: (handOff: HandOff | null) => void) => Promise<T>,
): Promise<T> {
  const kept: { handOff: HandOff | null } = { handOff: null };
  let result: T;
  try {
    result = await run((handOff) => {
      kept.handOff = handOff;
    });
  } catch (error) {
    kept.handOff?.rolledBack();
    throw error;
  }
  kept.handOff?.committed();
  return result;
}
