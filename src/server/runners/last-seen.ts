import type { Database } from '../db/database.js';

/**
 * A runner's last-seen time: when it last called the server. Stored in runner.last_seen_at for
 * every server to read, but written at most once per LAST_SEEN_WRITE_MS per runner: an idle
 * runner re-polls its claim every 30–60 s and a busy one calls several times a second, and a row
 * write (a commit, WAL, a dead tuple) for each of those bought nothing anyone reads.
 *
 * What reads it, and how stale it may be:
 * - the runner list and page ("last seen"): shownLastSeen() adds what this server saw since its
 *   last write, so the server the runner talks to shows it to the call; another server shows the
 *   stored time, at most LAST_SEEN_WRITE_MS plus one poll behind;
 * - the claim's "is the quiet runner present" test (queue/claim-confirmation.ts): a runner that
 *   calls at least every MAX_POLL_SECONDS has a stored time no older than SEEN_WITHIN_SECONDS.
 */
export const LAST_SEEN_WRITE_MS = 5 * 60_000;

/** The longest an idle runner goes between calls: a claim's long-poll (wait-for-job.ts, MAX_WAIT_SECONDS). */
const MAX_POLL_SECONDS = 60;
/** A retried call (backoff up to 5 s a try) and clock skew between servers. */
const SLACK_SECONDS = 30;

/** The stored last-seen of a runner that is up is never older than this. */
export const SEEN_WITHIN_SECONDS = LAST_SEEN_WRITE_MS / 1000 + MAX_POLL_SECONDS + SLACK_SECONDS;

/** Whether a call at `now` should write last_seen_at, given the stored value. */
function lastSeenDue(stored: Date | null, now: Date): boolean {
  return !stored || now.getTime() - stored.getTime() >= LAST_SEEN_WRITE_MS;
}

/**
 * A call from the runner whose row (read anyway, to check its key) holds `stored`: noted in memory,
 * and written when due. At most one write per runner per LAST_SEEN_WRITE_MS even when several of
 * its calls, on several servers, find it due at once: the update checks the age again on the row,
 * so all but the first update nothing.
 */
export async function recordCall(
  db: Database,
  runnerId: string,
  stored: Date | null,
  now: Date,
): Promise<void> {
  noteSeen(runnerId, now);
  if (!lastSeenDue(stored, now)) return;
  const dueBefore = new Date(now.getTime() - LAST_SEEN_WRITE_MS);
  await db
    .updateTable('runner')
    .set({ last_seen_at: now })
    .where('id', '=', runnerId)
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<=', dueBefore)]))
    .execute();
}

/**
 * The latest call this process saw from each runner (one entry a runner that called it; a few
 * bytes each). Kept apart from the key cache in accounts/tokens.ts, which forgets within seconds.
 */
const seenHere = new Map<string, number>();

/** Records a call from the runner for shownLastSeen: a map write, done on every call (cached key or not). */
export function noteSeen(runnerId: string, now: Date): void {
  const previous = seenHere.get(runnerId);
  if (previous === undefined || previous < now.getTime()) seenHere.set(runnerId, now.getTime());
}

/** The runner's last-seen as this server knows it: the stored time or a later call it saw itself. */
export function shownLastSeen(runnerId: string, stored: Date | null): Date | null {
  const here = seenHere.get(runnerId);
  if (here === undefined) return stored;
  if (stored && stored.getTime() >= here) return stored;
  return new Date(here);
}
