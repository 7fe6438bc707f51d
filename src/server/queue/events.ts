import type { Selectable } from 'kysely';
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
