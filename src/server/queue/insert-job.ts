import type { Insertable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Job } from '../db/schema.js';

export function insertJob(trx: Database, values: Insertable<Job>) {
  return trx.insertInto('job').values(values).returningAll().executeTakeFirstOrThrow();
}
