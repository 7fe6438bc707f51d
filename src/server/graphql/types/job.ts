import type { Access } from '../../accounts/access.js';
import type { Tier } from '../../config.js';
import { notFound } from '../../errors.js';
import type { BusEvent } from '../../events/bus.js';
import { handOverLogs } from '../../live/hub.js';
import { readJobChunks } from '../../live/log-chunks.js';
import { validateJobNoise } from '../../noise/job-noise.js';
import { appendJobLogs } from '../../queue/append-job-logs.js';
import { cancelJob } from '../../queue/cancel-job.js';
import { completeJob } from '../../queue/complete-job.js';
import { jobEvent, publishAll } from '../../queue/events.js';
import { failJob, RUNNER_FAILURE_REASONS } from '../../queue/fail-job.js';
import {
  type ConfirmationArm,
  FAILURE_REASONS,
  JOB_STATUSES,
  type JobConfig,
  readJobConfig,
} from '../../queue/job-config.js';
import { countInFlight, limitKeyOf } from '../../queue/limit-key.js';
import { claimableSpecs } from '../../queue/runner-specs.js';
import { startJob } from '../../queue/start-job.js';
import { tierLimit, tierOfPriority } from '../../queue/tier.js';
import { type UsageSummary, usageBetween } from '../../queue/usage-report.js';
import { heartbeatAndWait } from '../../queue/wait-for-cancel.js';
import { waitForJob } from '../../queue/wait-for-job.js';
import { alertViews } from '../../results/queries.js';
import { loadOrganization, loadProject, loadProjectById } from '../access.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { runnerId } from '../runner-viewer.js';
import { AlertRef } from './alert.js';
import { NoiseInput, NoiseRef, noiseOf } from './noise.js';
import { ProjectRef } from './project.js';
import { ReportRef } from './report.js';
import { RunnerRef } from './runner.js';
import { SpecRef } from './spec.js';

export const JobStatusEnum = builder.enumType('JobStatus', { values: JOB_STATUSES });
export const FailureReasonEnum = builder.enumType('FailureReason', { values: FAILURE_REASONS });
export const JobKindEnum = builder.enumType('JobKind', {
  description:
    'RUN: a benchmark run; CONFIRMATION: the re-run of a report’s alerts against their baseline images',
  values: ['RUN', 'CONFIRMATION'] as const,
});
export const TierEnum = builder.enumType('Tier', {
  values: ['UNCLAIMED', 'FREE', 'TEAM', 'ENTERPRISE'] as const,
});

/** A job row as resolvers pass it around. */
export type JobRow = Row<'job'>;

export const JobRef = builder.objectRef<JobRow>('Job');

const ConfirmationArmRef = builder.objectRef<ConfirmationArm>('ConfirmationArm').implement({
  description: 'One image a confirmation runs each round',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'head, base, or base-2… with several baselines' }),
    repository: t.exposeString('repository'),
    digest: t.exposeString('digest'),
  }),
});

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
    rounds: t.int({ nullable: true, resolve: (j) => readJobConfig(j.config).rounds ?? null }),
    arms: t.field({
      type: [ConfirmationArmRef],
      nullable: true,
      resolve: (j) => readJobConfig(j.config).arms ?? null,
    }),
  }),
});

export const JobOutputRef = builder.objectRef<Row<'job_output'>>('JobOutput').implement({
  fields: (t) => ({
    iteration: t.exposeInt('iteration'),
    exitCode: t.exposeInt('exit_code'),
    files: t.field({ type: 'JSON', description: 'path → content', resolve: (o) => o.files }),
  }),
});

interface TierSlots {
  tier: Tier;
  limit: number | null;
  busy: number;
}

const TierSlotsRef = builder.objectRef<TierSlots>('TierSlots').implement({
  description: "A job's tier and its limit of jobs in flight: what a queued job may be waiting for",
  fields: (t) => ({
    tier: t.field({ type: TierEnum, resolve: (s) => s.tier }),
    limit: t.exposeInt('limit', { nullable: true, description: 'jobs in flight at once; null: unlimited' }),
    busy: t.exposeInt('busy', {
      description:
        'jobs in flight now under the same limit (the organization’s; the source IP’s when unclaimed)',
    }),
  }),
});

JobRef.implement({
  description: 'One remote benchmark run: queued, claimed by a runner, run, then processed into a report',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    status: t.field({ type: JobStatusEnum, resolve: (j) => j.status as 'PENDING' }),
    kind: t.field({ type: JobKindEnum, resolve: (j) => j.kind as 'RUN' }),
    alerts: t.field({
      type: [AlertRef],
      description: 'A confirmation’s alerts with their verdicts (empty for a run)',
      resolve: (j, _a, ctx) =>
        j.kind === 'CONFIRMATION'
          ? alertViews(ctx.db).where('alert.confirmation_job_id', '=', j.id).orderBy('alert.id').execute()
          : [],
    }),
    priority: t.exposeInt('priority'),
    tier: t.field({ type: TierEnum, resolve: (j) => tierOfPriority(j.priority) }),
    slots: t.field({
      type: TierSlotsRef,
      description: 'the tier’s limit and how much of it is in use now (`queued: 1 of 1 FREE slots busy`)',
      resolve: async (j, _a, ctx) => {
        const tier = tierOfPriority(j.priority);
        return { tier, limit: tierLimit(ctx.config, tier), busy: await countInFlight(ctx.db, limitKeyOf(j)) };
      },
    }),
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
    // report.ts imports JobRef too; the cycle is safe because both refs are used only in field thunks.
    report: t.field({
      type: ReportRef,
      resolve: async (j, _a, ctx) => (await ctx.loaders.report.load(j.report_id))!,
    }),
    project: t.field({
      type: ProjectRef,
      resolve: async (j, _a, ctx) => (await ctx.loaders.project.load(j.project_id))!,
    }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    claimedAt: t.expose('claimed_at', { type: 'DateTime', nullable: true }),
    startedAt: t.expose('started_at', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finished_at', { type: 'DateTime', nullable: true }),
    processedAt: t.expose('processed_at', { type: 'DateTime', nullable: true }),
    lastHeartbeatAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: async (j, _a, ctx) => {
        if (j.status !== 'CLAIMED' && j.status !== 'RUNNING') return j.last_heartbeat_at;
        const beat = await ctx.loaders.leaseBeat.load(j.id);
        return beat && (!j.last_heartbeat_at || beat > j.last_heartbeat_at) ? beat : j.last_heartbeat_at;
      },
    }),
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
    noise: t.field({
      type: NoiseRef,
      nullable: true,
      description:
        'how quiet the runner was just before the job ran (its noise probe); null when none was sent',
      resolve: (j) => noiseOf(j),
    }),
    outputs: t.field({
      type: [JobOutputRef],
      resolve: (j, _a, ctx) =>
        ctx.db.selectFrom('job_output').selectAll().where('job_id', '=', j.id).orderBy('iteration').execute(),
    }),
  }),
});

const JobRunConfigRef = builder.objectRef<JobConfig>('JobRunConfig').implement({
  description: 'Everything a runner needs to run a claimed job',
  fields: (t) => ({
    registryUrl: t.exposeString('registryUrl', { description: "this server's registry host" }),
    repository: t.exposeString('repository'),
    digest: t.exposeString('digest', { description: 'pull by this digest only' }),
    entrypoint: t.exposeStringList('entrypoint', { nullable: true }),
    cmd: t.exposeStringList('cmd', { nullable: true }),
    env: t.field({ type: 'JSON', description: 'name → value', resolve: (c) => c.env }),
    timeoutSeconds: t.exposeInt('timeoutSeconds'),
    filePaths: t.exposeStringList('filePaths'),
    iterations: t.exposeInt('iterations'),
    kind: t.field({ type: JobKindEnum, resolve: (c) => c.kind ?? 'RUN' }),
    rounds: t.int({ nullable: true, resolve: (c) => c.rounds ?? null }),
    arms: t.field({
      type: [ConfirmationArmRef],
      nullable: true,
      description: 'A confirmation’s images (the head first); the pull token covers every one',
      resolve: (c) => c.arms ?? null,
    }),
  }),
});

interface Claim {
  job: JobRow;
  pullToken: string | null;
}

const JobClaimRef = builder.objectRef<Claim>('JobClaim').implement({
  fields: (t) => ({
    job: t.field({ type: JobRef, resolve: (c) => c.job }),
    config: t.field({ type: JobRunConfigRef, resolve: (c) => readJobConfig(c.job.config) }),
    pullToken: t.exposeString('pullToken', {
      nullable: true,
      description: 'a short-lived token that may pull this image from the registry',
    }),
  }),
});

const HeartbeatRef = builder.objectRef<{ cancel: boolean }>('JobHeartbeat').implement({
  fields: (t) => ({
    cancel: t.exposeBoolean('cancel', { description: 'stop the workload and confirm with failJob' }),
  }),
});

const LogStreamEnum = builder.enumType('LogStream', { values: ['STDOUT', 'STDERR'] as const });

export const JobLogChunkRef = builder.objectRef<Row<'job_log_chunk'>>('JobLogChunk').implement({
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    stream: t.field({ type: LogStreamEnum, resolve: (c) => c.stream as 'STDOUT' }),
    data: t.string({ description: 'base64', resolve: (c) => Buffer.from(c.data).toString('base64') }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
  }),
});

const UsageRef = builder.objectRef<UsageSummary>('Usage').implement({
  fields: (t) => ({
    minutes: t.exposeInt('minutes', { description: 'runner minutes billed' }),
    jobs: t.exposeInt('jobs'),
  }),
});

const LogChunkInput = builder.inputType('LogChunkInput', {
  fields: (t) => ({
    stream: t.field({ type: LogStreamEnum, required: true }),
    seq: t.int({ required: true, description: 'per job, gapless from 0' }),
    data: t.string({ required: true, description: 'base64' }),
  }),
});

const JobOutputInput = builder.inputType('JobOutputInput', {
  fields: (t) => ({
    iteration: t.int({ required: true, description: 'from 0' }),
    exitCode: t.int({ required: true }),
    files: t.field({ type: 'JSON', description: 'path → content of the job’s filePaths' }),
    stdout: t.string({ description: 'this iteration’s stdout, parsed when the job names no files' }),
  }),
});

const RunnerFailureReasonEnum = builder.enumType('RunnerFailureReason', { values: RUNNER_FAILURE_REASONS });

const publish = (ctx: Context) => (events: BusEvent[]) => publishAll(ctx.events, events, ctx.log);

/** A job the caller may see: its project's readers, and the runner that holds it. */
async function loadJob(ctx: Context, id: string, access: Access): Promise<JobRow> {
  const job = await ctx.loaders.job.load(id);
  if (!job) throw notFound('job');
  if (ctx.viewer.kind === 'runner' && job.runner_id === ctx.viewer.runnerId && access === 'READ') return job;
  await loadProjectById(ctx, job.project_id, access, () => notFound('job'));
  return job;
}

builder.queryFields((t) => ({
  job: t.field({
    type: JobRef,
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args, ctx) => loadJob(ctx, args.id, 'READ'),
  }),
  jobs: t.connection({
    type: JobRef,
    description: "A project's jobs, newest first",
    args: { project: t.arg.string({ required: true }), status: t.arg({ type: JobStatusEnum }) },
    resolve: async (_root, args, ctx) => {
      const project = await loadProject(ctx, args.project, 'READ');
      let query = ctx.db.selectFrom('job').selectAll().where('project_id', '=', project.id);
      if (args.status) query = query.where('status', '=', args.status);
      return paginate(args, query, 'job');
    },
  }),
  jobLogChunks: t.field({
    type: [JobLogChunkRef],
    description: 'Stored log chunks after afterSeq (from the start without it), in order',
    args: {
      jobId: t.arg({ type: 'UUID', required: true }),
      afterSeq: t.arg.int(),
      first: t.arg.int({ description: 'at most 1000 (the default)' }),
    },
    resolve: async (_root, args, ctx) => {
      const job = await loadJob(ctx, args.jobId, 'READ');
      const from = Math.min(Math.max(args.afterSeq ?? -1, -1) + 1, 2_147_483_647);
      return readJobChunks(
        ctx.db,
        ctx.services.logArchive,
        job.id,
        from,
        Math.min(Math.max(args.first ?? 1000, 1), 1000),
      );
    },
  }),
  usage: t.field({
    type: UsageRef,
    description: "Runner minutes of an organization's jobs started in [from, to)",
    args: {
      organization: t.arg.string({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const org = await loadOrganization(ctx, args.organization, 'READ');
      return usageBetween(ctx.db, { organizationId: org.id, from: args.from, to: args.to });
    },
  }),
}));

builder.mutationFields((t) => ({
  claimJob: t.field({
    type: JobClaimRef,
    nullable: true,
    authScopes: { runner: true },
    description:
      'Long-poll for a job: returns one at once if any is eligible, else waits up to waitSeconds (≤ 60)',
    args: {
      specs: t.arg.stringList({ description: 'spec slugs to take jobs for; default all the runner serves' }),
      waitSeconds: t.arg.int({ description: 'default 0: do not wait' }),
      start: t.arg.boolean({
        description:
          'true: the job comes back RUNNING, as startJob would leave it (billed from the claim), saving that call; send the noise probe with completeJob or failJob instead',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const id = runnerId(ctx);
      const specIds = await claimableSpecs(ctx.pollDb ?? ctx.db, id, args.specs);
      const claimed = await waitForJob(ctx.db, ctx.config, ctx.events, {
        pollDb: ctx.pollDb,
        runnerId: id,
        specIds,
        waitSeconds: args.waitSeconds ?? 0,
        now: () => ctx.clock.now(),
        signal: (ctx as { request?: Request }).request?.signal,
        start: args.start ?? false,
      });
      if (!claimed) return null;
      const { job, spec } = claimed;
      // The claiming statement read the spec: the answer's job.spec needs no query of its own.
      ctx.loaders.spec.prime(spec.id, spec);
      // The claiming statement announced it when the bus is reachable from SQL. Otherwise not
      // awaited: the runner need not wait for watchers to hear of the claim (errors are logged).
      // A handed-over job was announced by its creator (a second event would repeat it on NATS).
      if (!ctx.events.sqlChannel && !claimed.announced) void publishAll(ctx.events, [jobEvent(job)], ctx.log);
      const config = readJobConfig(job.config);
      const repositories = [...new Set([config.repository, ...(config.arms ?? []).map((a) => a.repository)])];
      const pullToken =
        (await ctx.services.registry?.issuePullToken(repositories, ctx.config.registryTokenSeconds)) ?? null;
      return { job, pullToken };
    },
  }),
  startJob: t.field({
    type: JobRef,
    authScopes: { runner: true },
    args: {
      jobId: t.arg({ type: 'UUID', required: true }),
      noise: t.arg({ type: NoiseInput, description: 'the noise probe measured just before the job' }),
    },
    resolve: async (_root, args, ctx) => {
      const { job, events } = await startJob(ctx.db, {
        jobId: args.jobId,
        runnerId: runnerId(ctx),
        now: ctx.clock.now(),
        channel: ctx.events.sqlChannel,
        noise: args.noise ? validateJobNoise(args.noise) : null,
      });
      await publish(ctx)(events);
      return job;
    },
  }),
  appendJobLogs: t.int({
    authScopes: { runner: true },
    description: 'Stores log chunks; repeats are ignored, a gap is refused (LOG_GAP). Returns the next seq.',
    args: {
      jobId: t.arg({ type: 'UUID', required: true }),
      chunks: t.arg({ type: [LogChunkInput], required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const now = ctx.clock.now();
      const { nextSeq, events, stored } = await appendJobLogs(ctx.db, {
        jobId: args.jobId,
        runnerId: runnerId(ctx),
        chunks: args.chunks,
        now,
        channel: ctx.events.sqlChannel,
      });
      // Before the publish: this server's subscribers then have the chunks when its event comes back.
      handOverLogs(ctx.events, args.jobId, stored, now);
      await publish(ctx)(events);
      return nextSeq;
    },
  }),
  heartbeatJob: t.field({
    type: HeartbeatRef,
    authScopes: { runner: true },
    description:
      'A sign of life; answers whether to stop. With waitSeconds the answer is held until a cancel arrives or the wait ends (at most a third of the heartbeat timeout)',
    args: {
      jobId: t.arg({ type: 'UUID', required: true }),
      waitSeconds: t.arg.int({ description: 'default 0: answer at once' }),
    },
    resolve: (_root, args, ctx) =>
      heartbeatAndWait(ctx.db, ctx.events, {
        jobId: args.jobId,
        runnerId: runnerId(ctx),
        waitSeconds: args.waitSeconds ?? 0,
        heartbeatTimeoutSeconds: ctx.config.heartbeatTimeoutSeconds,
        now: () => ctx.clock.now(),
        signal: (ctx as { request?: Request }).request?.signal,
      }),
  }),
  completeJob: t.field({
    type: JobRef,
    authScopes: { runner: true },
    description: 'Stores the outputs and processes them; answers with the job once processed',
    args: {
      jobId: t.arg({ type: 'UUID', required: true }),
      exitCode: t.arg.int({ required: true }),
      outputs: t.arg({ type: [JobOutputInput], required: true }),
      noise: t.arg({
        type: NoiseInput,
        description: 'the noise probe measured just before the job, when claimJob(start: true) started it',
      }),
      logs: t.arg({
        type: [LogChunkInput],
        description:
          'the job\'s last log batch, stored ahead of the result in the same transaction; a batch the log refuses (LOG_GAP, bad chunks) refuses the call, with extensions.argument = "logs"',
      }),
    },
    resolve: (_root, args, ctx) =>
      completeJob(
        ctx.db,
        ctx.config,
        {
          jobId: args.jobId,
          runnerId: runnerId(ctx),
          exitCode: args.exitCode,
          outputs: args.outputs.map((o) => ({
            iteration: o.iteration,
            exitCode: o.exitCode,
            files: (o.files ?? {}) as Record<string, string>,
            stdout: o.stdout ?? null,
          })),
          now: ctx.clock.now(),
          channel: ctx.events.sqlChannel,
          log: ctx.log,
          noise: args.noise ? validateJobNoise(args.noise) : null,
          logs: args.logs ?? undefined,
        },
        publish(ctx),
      ),
  }),
  failJob: t.field({
    type: JobRef,
    authScopes: { runner: true },
    args: {
      jobId: t.arg({ type: 'UUID', required: true }),
      reason: t.arg({ type: RunnerFailureReasonEnum, required: true }),
      message: t.arg.string(),
      noise: t.arg({
        type: NoiseInput,
        description: 'the noise probe measured just before the job, when claimJob(start: true) started it',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const { job, events } = await failJob(ctx.db, ctx.config, {
        jobId: args.jobId,
        runnerId: runnerId(ctx),
        reason: args.reason,
        message: args.message ?? null,
        now: ctx.clock.now(),
        noise: args.noise ? validateJobNoise(args.noise) : null,
      });
      await publish(ctx)(events);
      return job;
    },
  }),
  cancelJob: t.field({
    type: JobRef,
    description: 'A pending job is canceled at once; a running one is stopped by its runner',
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, ctx) => {
      await loadJob(ctx, args.id, 'WRITE');
      const { job, events } = await cancelJob(ctx.db, { jobId: args.id, now: ctx.clock.now() });
      await publish(ctx)(events);
      return job;
    },
  }),
}));
