import type { Database } from '../db/database.js';
import { badInput, forbidden, fromDatabaseError, notFound } from '../errors.js';
import { checkName, checkSlug, slugify } from './slug.js';
import type { Role } from './viewer.js';

export type Plan = 'NONE' | 'METERED' | 'LICENSED';
export type PlanLevel = 'FREE' | 'PRO' | 'TEAM' | 'ENTERPRISE';

export interface NewOrganization {
  name: string;
  slug?: string | null;
  /** The first owner; none for an unclaimed organization. */
  ownerId: string | null;
}

export async function createOrganization(db: Database, input: NewOrganization, now: Date) {
  const name = checkName(input.name);
  const slug = checkSlug(input.slug ?? slugify(name));
  try {
    return await db.transaction().execute(async (trx) => {
      const org = await trx
        .insertInto('organization')
        .values({ name, slug, claimed_at: input.ownerId ? now : null })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (input.ownerId) {
        await trx
          .insertInto('membership')
          .values({ organization_id: org.id, user_id: input.ownerId, role: 'OWNER' })
          .execute();
      }
      return org;
    });
  } catch (error) {
    throw fromDatabaseError(error, 'organization');
  }
}

/**
 * A signed-in user claims an unclaimed organization and becomes its owner. Its pending jobs
 * move up from the UNCLAIMED tier (the queue module recomputes priorities).
 */
export async function claimOrganization(db: Database, organizationId: string, userId: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('organization')
      .selectAll()
      .where('id', '=', organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!org) throw notFound('organization');
    if (org.claimed_at) throw forbidden('this organization is already claimed; ask an owner to add you');
    await trx
      .insertInto('membership')
      .values({ organization_id: org.id, user_id: userId, role: 'OWNER' })
      .execute();
    return trx
      .updateTable('organization')
      .set({ claimed_at: now, updated_at: now })
      .where('id', '=', org.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/**
 * Adds, changes or removes (role null) a membership. An organization keeps at least one owner: its
 * last owner can neither leave nor step down. The owners are locked first, so two owners demoting
 * each other at once cannot both succeed.
 */
export async function setMembership(db: Database, organizationId: string, userId: string, role: Role | null) {
  await db.transaction().execute(async (trx) => {
    if (role !== 'OWNER') {
      const owners = await trx
        .selectFrom('membership')
        .select('user_id')
        .where('organization_id', '=', organizationId)
        .where('role', '=', 'OWNER')
        .forUpdate()
        .execute();
      if (owners.length === 1 && owners[0]!.user_id === userId) {
        throw badInput(
          `an organization keeps at least one owner: make someone else owner before ${role ? `becoming ${role}` : 'leaving'}`,
          'role',
        );
      }
    }
    if (role === null) {
      await trx
        .deleteFrom('membership')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .execute();
      return;
    }
    try {
      await trx
        .insertInto('membership')
        .values({ organization_id: organizationId, user_id: userId, role })
        .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doUpdateSet({ role }))
        .execute();
    } catch (error) {
      throw fromDatabaseError(error, 'membership');
    }
  });
}
