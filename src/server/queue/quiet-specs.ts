/**
 * Specs this server knows to have no PENDING job, so that an idle runner's re-poll need not ask
 * the database (issue 23 §2: 10,000 runners re-poll hundreds of times a second, and on an empty
 * queue each claim statement found nothing).
 *
 * A spec is known empty when a claim attempt's statement saw none of its jobs PENDING and no queue
 * event arrived from before that statement was sent until its answer (`token`/`mark`). It stays
 * known as long as nothing can have changed that unheard: every way a job becomes PENDING (its
 * insert, a handed-over job's release, a confirmation job) sends a queue event for its spec after
 * its commit, and this server hears the spec's events while any of its waiters wants them
 * (ClaimWaiters drops the spec when its last waiter leaves: on a bus that routes by spec, the
 * subscription may go with it). A queue event for the spec forgets it; one without a spec, or a
 * bus resync (events may have been missed), forgets all. A job committed after the statement but
 * whose event is still on its way is no different from one arriving while runners sleep: the
 * event wakes a waiter, which then claims.
 */
export class QuietSpecs {
  private quiet = new Set<string>();
  /** Queue events heard; a claim's token is this count before its statement. */
  private heard = 0;

  /** Before a claim statement: what `mark` checks for events heard meanwhile. */
  token(): number {
    return this.heard;
  }

  /** The claim saw no PENDING job of these specs, and no event came in since `token`. */
  mark(specIds: Iterable<string>, token: number): void {
    if (token !== this.heard) return;
    for (const specId of specIds) this.quiet.add(specId);
  }

  /** Every one of the specs is known to have no PENDING job. */
  allQuiet(specIds: Iterable<string>): boolean {
    let any = false;
    for (const specId of specIds) {
      if (!this.quiet.has(specId)) return false;
      any = true;
    }
    return any;
  }

  /** A queue event (null: for every spec) or a resync. */
  heardEvent(specId: string | null): void {
    this.heard++;
    if (specId === null) this.quiet.clear();
    else this.quiet.delete(specId);
  }

  /** Nobody here waits for the spec any more: its events may no longer reach this server. */
  forget(specId: string): void {
    this.quiet.delete(specId);
  }
}
