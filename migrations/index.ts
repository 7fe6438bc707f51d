import type { Migration } from 'kysely';
import * as accounts from './0001_accounts.js';
import * as specsRunners from './0002_specs-runners.js';
import * as projects from './0003_projects.js';
import * as results from './0004_results.js';
import * as queue from './0005_queue.js';
import * as registry from './0006_registry.js';
import * as registrySecret from './0007_registry_secret.js';
import * as queueClaim from './0008_queue-claim.js';
import * as metricHistoryIndex from './0009_metric-history-index.js';
import * as metricForeignKeys from './0010_metric-foreign-keys.js';
import * as claimOrderIndexes from './0011_claim-order-indexes.js';
import * as processingAttempts from './0013_processing-attempts.js';
import * as specLimits from './0014_spec-limits.js';
import * as confirmation from './0015_confirmation.js';
import * as noise from './0016_noise.js';
import * as quietConfirmation from './0019_quiet-confirmation.js';
import * as runnerPreflight from './0020_runner-preflight.js';
import * as jobLogArchive from './0021_job-log-archive.js';
import * as jobLease from './0022_job-lease.js';
import * as alertSeries from './0023_alert-series.js';
import * as lifecycleWrites from './0024_lifecycle-writes.js';

// Listed statically so migrations work the same from TypeScript sources and from dist/.
export const migrations: Record<string, Migration> = {
  '0001_accounts': accounts,
  '0002_specs-runners': specsRunners,
  '0003_projects': projects,
  '0004_results': results,
  '0005_queue': queue,
  '0006_registry': registry,
  '0007_registry_secret': registrySecret,
  '0008_queue-claim': queueClaim,
  '0009_metric-history-index': metricHistoryIndex,
  '0010_metric-foreign-keys': metricForeignKeys,
  '0011_claim-order-indexes': claimOrderIndexes,
  '0013_processing-attempts': processingAttempts,
  '0014_spec-limits': specLimits,
  '0015_confirmation': confirmation,
  '0016_noise': noise,
  '0019_quiet-confirmation': quietConfirmation,
  '0020_runner-preflight': runnerPreflight,
  '0021_job-log-archive': jobLogArchive,
  '0022_job-lease': jobLease,
  '0023_alert-series': alertSeries,
  '0024_lifecycle-writes': lifecycleWrites,
};
