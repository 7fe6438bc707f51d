import { type Selectable, sql } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';
import { findCandidate } from './find-candidate.js';
import { countInFlight, limitKeyOf, limitOf, lockLimitKey } from './limit-key.js';
import { markClaimed } from './mark-claimed.js';

export interface ClaimInput {
  runnerId: string;
  specIds: string[];
  now: Date;
}

// Keys found full in one claim before it gives up; each is then excluded, so this bounds work, not correctness.
const MAX_ATTEMPTS = 16;

/**
 * One claim attempt, in one transaction: take the first eligible PENDING job (locked SKIP
 * LOCKED), then, for a limited tier, take the advisory lock of its limit key and count the
 * key's in-flight jobs again. Under that lock nobody else can add to the count, so claiming
 * when the count is below the limit can never exceed it, on any number of servers. A full key
 * is rolled back to a savepoint (releasing the job's row lock) and skipped.
 */
export async function claimJob(
  db: Database,
  config: Config,
  input: ClaimInput,
): Promise<Selectable<Job> | null> {
  if (input.specIds.length === 0) return null;
  return db.transaction().execute(async (trx) => {
    const skipOrgs: string[] = [];
    const skipIps: string[] = [];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await sql`SAVEPOINT claim_candidate`.execute(trx);
      const candidate = await findCandidate(trx, config, { specIds: input.specIds, skipOrgs, skipIps });
      if (!candidate) return null;
      const limit = limitOf(config, candidate);
      if (limit !== null) {
        const key = limitKeyOf(candidate);
        await lockLimitKey(trx, key);
        if ((await countInFlight(trx, key)) >= limit) {
          await sql`ROLLBACK TO SAVEPOINT claim_candidate`.execute(trx);
          if (key.kind === 'ip') skipIps.push(key.sourceIp);
          else skipOrgs.push(key.organizationId);
          continue;
        }
      }
      return markClaimed(trx, candidate.id, input.runnerId, input.now);
    }
    return null;
  });
}
