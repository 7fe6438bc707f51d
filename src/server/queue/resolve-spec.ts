import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Spec } from '../db/schema.js';
import { BenchlineError, notFound } from '../errors.js';

/**
 * The spec a job runs on: the one asked for (which then becomes the testbed's spec, so later
 * runs on the testbed need not repeat it), else the testbed's, else the server's default.
 */
export async function resolveSpec(
  trx: Database,
  input: { slug: string | null; testbedId: string; now: Date },
): Promise<Selectable<Spec>> {
  if (input.slug) {
    const spec = await trx
      .selectFrom('spec')
      .selectAll()
      .where('slug', '=', input.slug)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!spec) throw notFound(`spec "${input.slug}"`, 'see benchline spec list');
    await trx
      .updateTable('testbed')
      .set({ spec_id: spec.id, updated_at: input.now })
      .where('id', '=', input.testbedId)
      .where((eb) => eb.or([eb('spec_id', 'is', null), eb('spec_id', '!=', spec.id)]))
      .execute();
    return spec;
  }
  const fromTestbed = await trx
    .selectFrom('testbed')
    .innerJoin('spec', 'spec.id', 'testbed.spec_id')
    .selectAll('spec')
    .where('testbed.id', '=', input.testbedId)
    .where('spec.archived_at', 'is', null)
    .executeTakeFirst();
  if (fromTestbed) return fromTestbed;
  const fallback = await trx
    .selectFrom('spec')
    .selectAll()
    .where('is_default', 'is not', null)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (fallback) return fallback;
  throw new BenchlineError(
    'NO_SPEC',
    'no spec to run on: pass --spec <slug> (see benchline spec list), or ask the server admin to set a default spec',
  );
}
