import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Spec } from '../db/schema.js';
import { badInput } from '../errors.js';

/**
 * The specs a claim may take jobs for: those the runner serves, narrowed to the asked slugs.
 * Asking for a spec the runner does not serve is a configuration mistake worth reporting.
 * Whole rows, read before the wait, so the claimed job's spec needs no query after it.
 */
export async function claimableSpecs(
  db: Database,
  runnerId: string,
  asked: string[] | null | undefined,
): Promise<Selectable<Spec>[]> {
  const served = await db
    .selectFrom('runner_spec')
    .innerJoin('spec', 'spec.id', 'runner_spec.spec_id')
    .selectAll('spec')
    .where('runner_spec.runner_id', '=', runnerId)
    .execute();
  if (!asked?.length) return served;
  const missing = asked.filter((slug) => !served.some((s) => s.slug === slug));
  if (missing.length) {
    throw badInput(
      `this runner does not serve spec ${missing.map((s) => `"${s}"`).join(', ')}; ` +
        'an admin can add it with benchline runner update --spec, or drop it from --spec',
      'specs',
    );
  }
  return served.filter((s) => asked.includes(s.slug));
}
