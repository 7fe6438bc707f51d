import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './types/alert.js';
import './types/job.js';
import './types/noise.js';
import './types/live.js';
import './types/organization.js';
import './types/perf.js';
import './types/preflight.js';
import './types/project.js';
import './types/report.js';
import './types/resources.js';
import './types/run.js';
import './types/runner.js';
import './types/spec.js';
import './types/threshold.js';
import './types/user.js';

export const schema = builder.toSchema({ sortSchema: true });

/** The SDL checked in as schema.graphql. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
