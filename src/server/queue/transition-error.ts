import type { Selectable } from 'kysely';
import type { Job } from '../db/schema.js';
import { BenchlineError } from '../errors.js';

/** A state change the job's current status does not allow; the message says what it is. */
export function invalidTransition(job: Selectable<Job>, action: string, hint = ''): BenchlineError {
  const why = job.failure_reason ? ` (${job.failure_reason})` : '';
  return new BenchlineError(
    'INVALID_TRANSITION',
    `cannot ${action}: the job is ${job.status}${why}${hint ? `; ${hint}` : ''}`,
    { status: job.status },
  );
}
