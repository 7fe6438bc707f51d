import { FAILURE_REASONS, JOB_STATUSES, readJobConfig } from '../../queue/job-config.js';
import { tierOfPriority } from '../../queue/tier.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { ProjectRef } from './project.js';
import { RunnerRef } from './runner.js';
import { SpecRef } from './spec.js';

export const JobStatusEnum = builder.enumType('JobStatus', { values: JOB_STATUSES });
export const FailureReasonEnum = builder.enumType('FailureReason', { values: FAILURE_REASONS });
export const TierEnum = builder.enumType('Tier', {
  values: ['UNCLAIMED', 'FREE', 'TEAM', 'ENTERPRISE'] as const,
});

/** A job row as resolvers pass it around. */
export type JobRow = Row<'job'>;

export const JobRef = builder.objectRef<JobRow>('Job');

const JobConfigSummaryRef = builder.objectRef<JobRow>('JobConfigSummary').implement({
  description: 'What the job runs; the environment is not shown (it may hold secrets)',
  fields: (t) => ({
    repository: t.string({ resolve: (j) => readJobConfig(j.config).repository }),
    digest: t.string({ resolve: (j) => readJobConfig(j.config).digest }),
    entrypoint: t.stringList({ nullable: true, resolve: (j) => readJobConfig(j.config).entrypoint }),
    cmd: t.stringList({ nullable: true, resolve: (j) => readJobConfig(j.config).cmd }),
    timeoutSeconds: t.exposeInt('timeout_seconds'),
    filePaths: t.stringList({ resolve: (j) => readJobConfig(j.config).filePaths }),
    iterations: t.int({ resolve: (j) => readJobConfig(j.config).iterations }),
  }),
});

export const JobOutputRef = builder.objectRef<Row<'job_output'>>('JobOutput').implement({
  fields: (t) => ({
    iteration: t.exposeInt('iteration'),
    exitCode: t.exposeInt('exit_code'),
    files: t.field({ type: 'JSON', description: 'path → content', resolve: (o) => o.files }),
  }),
});

JobRef.implement({
  description: 'One remote benchmark run: queued, claimed by a runner, run, then processed into a report',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    status: t.field({ type: JobStatusEnum, resolve: (j) => j.status as 'PENDING' }),
    priority: t.exposeInt('priority'),
    tier: t.field({ type: TierEnum, resolve: (j) => tierOfPriority(j.priority) }),
    spec: t.field({
      type: SpecRef,
      resolve: async (j, _a, ctx) => (await ctx.loaders.spec.load(j.spec_id))!,
    }),
    runner: t.field({
      type: RunnerRef,
      nullable: true,
      resolve: (j, _a, ctx) => (j.runner_id ? ctx.loaders.runner.load(j.runner_id) : null),
    }),
    reportId: t.expose('report_id', { type: 'UUID' }),
    project: t.field({
      type: ProjectRef,
      resolve: async (j, _a, ctx) => (await ctx.loaders.project.load(j.project_id))!,
    }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    claimedAt: t.expose('claimed_at', { type: 'DateTime', nullable: true }),
    startedAt: t.expose('started_at', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finished_at', { type: 'DateTime', nullable: true }),
    processedAt: t.expose('processed_at', { type: 'DateTime', nullable: true }),
    lastHeartbeatAt: t.expose('last_heartbeat_at', { type: 'DateTime', nullable: true }),
    cancelRequested: t.boolean({ resolve: (j) => j.cancel_requested_at !== null }),
    exitCode: t.exposeInt('exit_code', { nullable: true }),
    failureReason: t.field({
      type: FailureReasonEnum,
      nullable: true,
      resolve: (j) => j.failure_reason as 'RUNNER_ERROR' | null,
    }),
    failureMessage: t.exposeString('failure_message', { nullable: true }),
    billedMinutes: t.exposeInt('billed_minutes'),
    config: t.field({ type: JobConfigSummaryRef, resolve: (j) => j }),
    outputs: t.field({
      type: [JobOutputRef],
      resolve: (j, _a, ctx) =>
        ctx.db.selectFrom('job_output').selectAll().where('job_id', '=', j.id).orderBy('iteration').execute(),
    }),
  }),
});
