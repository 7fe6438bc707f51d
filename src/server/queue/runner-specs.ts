import type { Database } from '../db/database.js';
import { badInput } from '../errors.js';

/**
 * A runner's served specs (id and slug), remembered per process for as long as its key is
 * (accounts/tokens.ts): a runner claims once per job, and this spares each claim a query. A change
 * of a runner's specs made on this server is seen at once (`forgetRunnerSpecs`), one made on
 * another server within the TTL, as a long-poll already waits with the specs it started with.
 */
const TTL_MS = 3_000;
const CACHE_SIZE = 1_000;
const served = new Map<string, { specs: Promise<ServedSpec[]>; until: number }>();

interface ServedSpec {
  id: string;
  slug: string;
}

function servedSpecs(db: Database, runnerId: string): Promise<ServedSpec[]> {
  const now = Date.now();
  const hit = served.get(runnerId);
  if (hit && hit.until > now) return hit.specs;
  const specs = db
    .selectFrom('runner_spec')
    .innerJoin('spec', 'spec.id', 'runner_spec.spec_id')
    .select(['spec.id', 'spec.slug'])
    .where('runner_spec.runner_id', '=', runnerId)
    .execute();
  // Map keeps insertion order: the first key is the oldest entry.
  served.delete(runnerId);
  if (served.size >= CACHE_SIZE) served.delete(served.keys().next().value!);
  served.set(runnerId, { specs, until: now + TTL_MS });
  specs.catch(() => served.delete(runnerId));
  return specs;
}

/** After a change of the runner's specs: the next claim reads them again. */
export function forgetRunnerSpecs(runnerId: string): void {
  served.delete(runnerId);
}

/**
 * The ids of the specs a claim may take jobs for: those the runner serves, narrowed to the asked
 * slugs. Asking for a spec the runner does not serve is a configuration mistake worth reporting.
 */
export async function claimableSpecs(
  db: Database,
  runnerId: string,
  asked: string[] | null | undefined,
): Promise<string[]> {
  const specs = await servedSpecs(db, runnerId);
  if (!asked?.length) return specs.map((s) => s.id);
  const missing = asked.filter((slug) => !specs.some((s) => s.slug === slug));
  if (missing.length) {
    throw badInput(
      `this runner does not serve spec ${missing.map((s) => `"${s}"`).join(', ')}; ` +
        'an admin can add it with benchline runner update --spec, or drop it from --spec',
      'specs',
    );
  }
  return specs.filter((s) => asked.includes(s.slug)).map((s) => s.id);
}
