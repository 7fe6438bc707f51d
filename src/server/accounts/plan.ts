import type { Database } from '../db/database.js';
import { badInput, notFound } from '../errors.js';
import type { Plan, PlanLevel } from './organizations.js';

export const PLANS: readonly Plan[] = ['NONE', 'METERED', 'LICENSED'];
export const PLAN_LEVELS: readonly PlanLevel[] = ['FREE', 'PRO', 'TEAM', 'ENTERPRISE'];

export interface OrganizationPlanSetting {
  plan: Plan;
  level: PlanLevel;
}

/** Reads `NONE`, `LICENSED:TEAM` and the like; the level defaults to FREE with no plan, TEAM with one. */
export function parsePlan(raw: string): OrganizationPlanSetting | undefined {
  const [plan, level, extra] = raw.trim().toUpperCase().split(':');
  if (extra !== undefined || !PLANS.includes(plan as Plan)) return undefined;
  const chosen = (level ?? (plan === 'NONE' ? 'FREE' : 'TEAM')) as PlanLevel;
  if (!PLAN_LEVELS.includes(chosen)) return undefined;
  return { plan: plan as Plan, level: chosen };
}

export interface PlanChange {
  organization: { id: string; slug: string };
  from: OrganizationPlanSetting;
  to: OrganizationPlanSetting;
}

/**
 * An operator moves an organization to another plan and level (its tier follows: see queue/tier.ts).
 * Returns the change for the audit line; the caller reprioritizes the organization's pending jobs.
 */
export async function setOrganizationPlan(
  db: Database,
  slug: string,
  to: OrganizationPlanSetting,
  now: Date,
): Promise<PlanChange> {
  if (!PLANS.includes(to.plan)) throw badInput(`plan must be one of ${PLANS.join(', ')}`);
  if (!PLAN_LEVELS.includes(to.level)) throw badInput(`level must be one of ${PLAN_LEVELS.join(', ')}`);
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('organization')
      .select(['id', 'slug', 'plan', 'plan_level'])
      .where('slug', '=', slug)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound(`organization "${slug}"`);
    await trx
      .updateTable('organization')
      .set({ plan: to.plan, plan_level: to.level, updated_at: now })
      .where('id', '=', before.id)
      .execute();
    return {
      organization: { id: before.id, slug: before.slug },
      from: { plan: before.plan as Plan, level: before.plan_level as PlanLevel },
      to,
    };
  });
}
