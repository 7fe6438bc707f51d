import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Job, Spec } from '../db/schema.js';

/** A job just claimed, with its spec as of the claim. */
export interface Claimed {
  job: Selectable<Job>;
  spec: Selectable<Spec>;
  /** Its job event is out already: a job handed over at creation was announced by its creator. */
  announced?: boolean;
}

/**
 * The claimed job's spec, read by the claiming statement itself: the runner sandboxes the job by
 * this row (network, sizes), so it must be as fresh as the claim, not as the specs read before a
 * long-poll's wait. `alias` names the CTE holding the claimed job (NULL unless it is CLAIMED, or
 * RUNNING when the claim started it).
 */
export function claimedSpecColumn(alias: string): RawBuilder<unknown> {
  return sql`(SELECT to_jsonb(s) FROM spec s
    WHERE s.id = ${sql.ref(`${alias}.spec_id`)} AND ${sql.ref(`${alias}.status`)} IN ('CLAIMED', 'RUNNING')) AS claimed_spec`;
}

const TIMESTAMPS = ['created_at', 'updated_at', 'archived_at', 'is_default'] as const;

/** The row as a plain SELECT would give it (jsonb carries timestamps as text). */
export function specFromJson(json: unknown): Selectable<Spec> {
  const row = { ...(json as Record<string, unknown>) };
  for (const column of TIMESTAMPS) {
    if (typeof row[column] === 'string') row[column] = new Date(row[column] as string);
  }
  return row as unknown as Selectable<Spec>;
}
