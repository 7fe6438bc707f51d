import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Job } from '../db/schema.js';
import type { BusEvent, EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';

export const jobEvent = (job: Selectable<Job>, cancel?: boolean): BusEvent => ({
  topic: 'job',
  jobId: job.id,
  projectId: job.project_id,
  status: job.status,
  ...(cancel ? { cancel: true } : {}),
});

/**
 * Publishes after commit. A lost event is not lost state: the tables hold the truth and the
 * bus's resync makes listeners re-read, so a failure is logged, not thrown at the caller.
 */
export async function publishAll(events: EventBus, list: BusEvent[], log?: Logger): Promise<void> {
  for (const event of list) {
    try {
      await events.publish(event);
    } catch (error) {
      log?.warn({ err: String(error), topic: event.topic }, 'could not publish an event');
    }
  }
}

/** `pg_notify(channel, <a queue event for the spec>)`, or NULL without a channel (see notifyJobEvent). */
export function notifyQueueEvent(
  channel: string | undefined,
  specId: RawBuilder<unknown>,
): RawBuilder<unknown> {
  if (!channel) return sql`NULL`;
  return sql`pg_notify(${channel}, json_build_object('topic', 'queue', 'specId', ${specId}::uuid)::text)`;
}

/**
 * `pg_notify(channel, <the job event of row alias>)` for a statement's select list, or NULL when
 * the bus cannot be reached from SQL (the caller then publishes `jobEvent` after commit). NOTIFY
 * is delivered at commit, as publishing after commit would be, without a round trip of its own.
 */
export function notifyJobEvent(channel: string | undefined, alias: string): RawBuilder<unknown> {
  if (!channel) return sql`NULL`;
  const row = (column: string) => sql.ref(`${alias}.${column}`);
  return sql`pg_notify(${channel}, json_build_object(
    'topic', 'job', 'jobId', ${row('id')}, 'projectId', ${row('project_id')}, 'status', ${row('status')}
  )::text)`;
}
