import { notFound } from '../../errors.js';
import { jobLogStream } from '../../live/job-log-stream.js';
import type { LateCompletion } from '../../live/job-state.js';
import { jobStatusStream } from '../../live/job-status-stream.js';
import { projectJobsStream } from '../../live/project-jobs-stream.js';
import { loadProject, loadProjectById } from '../access.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { JobLogChunkRef, JobRef, type JobRow } from './job.js';

builder.subscriptionType({ fields: () => ({}) });

const lateCompletion = (ctx: Context): LateCompletion => ({
  graceMs: ctx.config.lateCompletionGraceSeconds * 1000,
  now: () => ctx.clock.now().getTime(),
});

// The chunk type is the queue's (the jobLogChunks query returns it too); a live client also wants text.
builder.objectFields(JobLogChunkRef, (t) => ({
  text: t.string({
    description: 'The bytes as UTF-8; invalid sequences (a character split across chunks) become U+FFFD',
    resolve: (c) => Buffer.from(c.data).toString('utf8'),
  }),
  dataBase64: t.string({
    description: 'The exact bytes in base64 (the same as data)',
    resolve: (c) => Buffer.from(c.data).toString('base64'),
  }),
}));

/** The job, if the viewer may read its project (a private project answers NOT_FOUND, like a missing job). */
async function loadReadableJob(ctx: Context, jobId: string): Promise<JobRow> {
  const job = await ctx.loaders.job.load(jobId);
  if (!job) throw notFound('job', 'check the id (benchline job list)');
  await loadProjectById(ctx, job.project_id, 'READ', () =>
    notFound('job', 'check the id (benchline job list)'),
  );
  return job;
}

builder.subscriptionFields((t) => ({
  jobStatus: t.field({
    type: JobRef,
    description: 'The job’s current state, then every change; ends after a terminal state',
    args: { jobId: t.arg({ type: 'UUID', required: true }) },
    subscribe: async (_root, args, ctx) => {
      const job = await loadReadableJob(ctx, args.jobId);
      return jobStatusStream(ctx.db, ctx.events, job.id, lateCompletion(ctx));
    },
    resolve: (row) => row,
  }),
  jobLogs: t.field({
    type: JobLogChunkRef,
    description:
      'Stored chunks after afterSeq, then live ones, in seq order with no gap or duplicate; ends when the ' +
      'job has finished and all its output was sent. To resume, pass the last seq received.',
    args: {
      jobId: t.arg({ type: 'UUID', required: true }),
      afterSeq: t.arg.int({ description: 'the last seq already received; omit for the whole log' }),
    },
    subscribe: async (_root, args, ctx) => {
      const job = await loadReadableJob(ctx, args.jobId);
      return jobLogStream(
        ctx.db,
        ctx.events,
        job.id,
        { afterSeq: args.afterSeq ?? -1, archive: ctx.services.logArchive },
        lateCompletion(ctx),
      );
    },
    resolve: (chunk) => chunk,
  }),
  projectJobs: t.field({
    type: JobRef,
    description: 'Each change to a job of the project (for the console)',
    args: { project: t.arg.string({ required: true, description: 'slug or id' }) },
    subscribe: async (_root, args, ctx) => {
      const project = await loadProject(ctx, args.project, 'READ');
      return projectJobsStream(ctx.db, ctx.events, project.id);
    },
    resolve: (row) => row,
  }),
}));
