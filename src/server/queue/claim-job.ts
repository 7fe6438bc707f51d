import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Claimed } from './claimed-spec.js';
import { claimIfUnlimited, findCandidate } from './find-candidate.js';
import { countInFlight, type LimitKey, limitKeyOf, limitOf, lockLimitKey } from './limit-key.js';
import { markClaimed } from './mark-claimed.js';

export interface ClaimInput {
  runnerId: string;
  specIds: string[];
  now: Date;
  /** The bus's SQL channel: the claim's job event is then sent by the claiming statement. */
  channel?: string;
  /** Leave the job RUNNING, as startJob would (mark-claimed.ts: ClaimAs). */
  start?: boolean;
  /** Called when the claim saw no PENDING job of its specs at all (not merely none it may take). */
  onQueueEmpty?: () => void;
}

// Keys found full in one claim before it gives up; each is then excluded, so this bounds work, not
// correctness.
const MAX_ATTEMPTS = 16;

/**
 * One claim, in short transactions: take the first eligible PENDING job (locked SKIP LOCKED),
 * then, for a limited tier, take the advisory lock of its limit key and count the key's
 * in-flight jobs again. Under that lock nobody else can add to the count, so claiming when the
 * count is below the limit can never exceed it, on any number of servers. A full key rolls its
 * transaction back (releasing the job's row lock at once) and the next attempt skips that key.
 */
export async function claimJob(db: Database, config: Config, input: ClaimInput): Promise<Claimed | null> {
  if (input.specIds.length === 0) return null;
  const skipOrgs: string[] = [];
  const skipIps: string[] = [];
  const claimant = { runnerId: input.runnerId, now: input.now };
  const fast = await claimIfUnlimited(
    db,
    config,
    { specIds: input.specIds, skipOrgs, skipIps, claimant },
    input,
  );
  if (fast.claimed) return fast.claimed;
  if (fast.empty) input.onQueueEmpty?.();
  if (!fast.candidate && !fast.mayHaveMore) return null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const outcome = await db
      .transaction()
      .execute(async (trx) => {
        const candidate = await findCandidate(trx, config, {
          specIds: input.specIds,
          skipOrgs,
          skipIps,
          claimant,
        });
        if (!candidate) return { done: true as const, claimed: null };
        const limit = limitOf(config, candidate);
        if (limit !== null) {
          const key = limitKeyOf(candidate);
          await lockLimitKey(trx, key);
          if ((await countInFlight(trx, key)) >= limit) throw new KeyFull(key);
        }
        return { done: true as const, claimed: await markClaimed(trx, candidate.id, input) };
      })
      .catch((error: unknown) => {
        if (!(error instanceof KeyFull)) throw error;
        if (error.key.kind === 'ip') skipIps.push(error.key.sourceIp);
        else skipOrgs.push(error.key.organizationId);
        return { done: false as const, claimed: null };
      });
    if (outcome.done) return outcome.claimed;
  }
  return null;
}

/** Rolls a claim attempt back: the candidate's limit key is full. */
class KeyFull extends Error {
  constructor(readonly key: LimitKey) {
    super('limit key full');
  }
}
