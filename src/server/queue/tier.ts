import { type RawBuilder, sql } from 'kysely';
import type { Config, Tier } from '../config.js';

export const TIER_PRIORITY: Record<Tier, number> = { UNCLAIMED: 0, FREE: 100, TEAM: 200, ENTERPRISE: 300 };

export function tierOfPriority(priority: number): Tier {
  if (priority >= 300) return 'ENTERPRISE';
  if (priority >= 200) return 'TEAM';
  if (priority >= 100) return 'FREE';
  return 'UNCLAIMED';
}

/** Plain facts about an organization that decide its tier. */
export interface OrganizationPlan {
  claimed_at: Date | null;
  plan: string;
  plan_level: string;
}

export function tierOf(org: OrganizationPlan): Tier {
  if (!org.claimed_at) return 'UNCLAIMED';
  if (org.plan === 'NONE') return 'FREE';
  return org.plan_level === 'ENTERPRISE' ? 'ENTERPRISE' : 'TEAM';
}

/** `tierOf` in SQL, over an organization row alias (tier.test.ts holds the two to each other). */
export function tierSql(alias: string): RawBuilder<Tier> {
  const column = (name: keyof OrganizationPlan) => sql.ref(`${alias}.${name}`);
  return sql<Tier>`CASE
    WHEN ${column('claimed_at')} IS NULL THEN 'UNCLAIMED'
    WHEN ${column('plan')} = 'NONE' THEN 'FREE'
    WHEN ${column('plan_level')} = 'ENTERPRISE' THEN 'ENTERPRISE'
    ELSE 'TEAM'
  END`;
}

/** The run's timeout, or the tier's default, never above the tier's maximum. */
export function clampTimeout(config: Config, tier: Tier, asked: number | null): number {
  const settings = config.tiers[tier];
  if (asked === null) return Math.min(settings.defaultTimeout, settings.maxTimeout);
  return Math.max(1, Math.min(Math.floor(asked), settings.maxTimeout));
}

/** A tier's in-flight limit; null is unlimited. */
export function tierLimit(config: Config, tier: Tier): number | null {
  return config.tiers[tier].concurrency;
}
