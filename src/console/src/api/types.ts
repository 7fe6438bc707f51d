import type {
  ConsoleAlertFragment,
  ConsoleJobFragment,
  ConsoleJobLogsSubscription,
  ConsolePerfQuery,
  ConsoleReportQuery,
  JobStatus as GeneratedJobStatus,
} from '../../../gql/graphql.js';

// Names for the generated shapes the components pass around.

export type Job = ConsoleJobFragment;
export type JobStatus = GeneratedJobStatus;
export type Alert = ConsoleAlertFragment;
export type Report = ConsoleReportQuery['report'];
export type ResultPage = Report['resultPage'];
export type IterationResult = ResultPage['iterations'][number];
export type PerfSeries = ConsolePerfQuery['perf'][number];
export type LogChunk = ConsoleJobLogsSubscription['jobLogs'];
