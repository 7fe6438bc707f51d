import type { Database } from '../db/database.js';
import type { BusEvent } from '../events/bus.js';
import { TIER_PRIORITY, tierOf } from './tier.js';

/**
 * An organization was claimed (or its plan changed): its pending jobs take the priority of its
 * new tier. Jobs already in flight keep theirs until they end. Returns queue events for the
 * specs whose order changed.
 */
export async function onOrganizationClaimed(db: Database, organizationId: string): Promise<BusEvent[]> {
  const org = await db
    .selectFrom('organization')
    .select(['claimed_at', 'plan', 'plan_level'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!org) return [];
  const priority = TIER_PRIORITY[tierOf(org)];
  const moved = await db
    .updateTable('job')
    .set({ priority })
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'PENDING')
    .where('priority', '!=', priority)
    .returning('spec_id')
    .execute();
  return [...new Set(moved.map((r) => r.spec_id))].map((specId) => ({ topic: 'queue', specId }));
}
