import type { Database } from '../db/database.js';

export interface UsageSummary {
  minutes: number;
  jobs: number;
}

/** Runner minutes of an organization's jobs started in [from, to). */
export async function usageBetween(
  db: Database,
  input: { organizationId: string; from: Date; to: Date },
): Promise<UsageSummary> {
  const row = await db
    .selectFrom('usage')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('minutes'), eb.lit(0)).as('minutes'),
      eb.fn.countAll<number>().as('jobs'),
    ])
    .where('organization_id', '=', input.organizationId)
    .where('started_at', '>=', input.from)
    .where('started_at', '<', input.to)
    .executeTakeFirstOrThrow();
  return { minutes: Number(row.minutes), jobs: Number(row.jobs) };
}
