import { type Insertable, type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { PREPARED } from '../db/prepared-statements.js';
import type { Job } from '../db/schema.js';
import { notifyJobEvent, notifyQueueEvent } from './events.js';

export interface InsertJobOptions {
  /** An explicitly asked spec becomes the testbed's, so later runs on it need not repeat it. */
  testbedTakesSpec: boolean;
  testbedId: string;
  now: Date;
  /** The bus's SQL channel: the queue and job events are then sent by this statement, at commit. */
  channel?: string;
}

/**
 * The job row, its report's spec, and (when asked) the testbed's spec in one statement; with a
 * channel, the wake-up for idle runners goes out at commit, atomically with the job.
 */
export async function insertJob(
  trx: Database,
  values: Insertable<Job> & { report_id: string; spec_id: string },
  options: InsertJobOptions,
): Promise<Selectable<Job>> {
  const columns = Object.keys(values) as Array<keyof typeof values>;
  const { rows } = await sql<Selectable<Job> & { queued: unknown; notified: unknown }>`${sql.raw(PREPARED)}
    WITH j AS (
      INSERT INTO job (${sql.join(columns.map((c) => sql.ref(c)))})
      VALUES (${sql.join(columns.map((c) => values[c]))})
      RETURNING *
    ),
    r AS (UPDATE report SET spec_id = ${values.spec_id} WHERE id = ${values.report_id}),
    t AS (
      UPDATE testbed SET spec_id = ${values.spec_id}, updated_at = ${options.now}
      WHERE ${options.testbedTakesSpec} AND id = ${options.testbedId}
        AND spec_id IS DISTINCT FROM ${values.spec_id}
    )
    SELECT j.*, ${notifyQueueEvent(options.channel, values.spec_id)} AS queued,
      ${notifyJobEvent(options.channel, 'j')} AS notified
    FROM j
  `.execute(trx);
  const { notified: _, queued: __, ...job } = rows[0]!;
  return job as Selectable<Job>;
}
