import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/database.js';
import { type OrganizationPlan, tierOf, tierSql } from './tier.js';

const { db } = await createTestDatabase();

describe('tier', () => {
  it('is the same in SQL as in TypeScript for every kind of organization', async () => {
    const plans: OrganizationPlan[] = [];
    for (const claimed_at of [null, new Date('2026-01-01T00:00:00Z')]) {
      for (const plan of ['NONE', 'METERED', 'LICENSED']) {
        for (const plan_level of ['FREE', 'TEAM', 'ENTERPRISE']) plans.push({ claimed_at, plan, plan_level });
      }
    }
    const { rows } = await sql<{ tier: string }>`
      SELECT ${tierSql('o')} AS tier
      FROM jsonb_to_recordset(${JSON.stringify(plans.map((p, n) => ({ ...p, n })))}::jsonb)
        AS o(claimed_at timestamptz, plan text, plan_level text, n int)
      ORDER BY n
    `.execute(db);
    expect(rows.map((r) => r.tier)).toEqual(plans.map(tierOf));
    expect(new Set(rows.map((r) => r.tier))).toEqual(new Set(['UNCLAIMED', 'FREE', 'TEAM', 'ENTERPRISE']));
  });
});
