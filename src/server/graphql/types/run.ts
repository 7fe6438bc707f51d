import { claimWaitersFor } from '../../queue/claim-waiters.js';
import { publishAll } from '../../queue/events.js';
import { createRun } from '../../runs/create-run.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { JobRef } from './job.js';
import { AverageEnum, FoldEnum, ReportRef } from './report.js';
import { ThresholdInput } from './threshold.js';

const RunJobInput = builder.inputType('RunJobInput', {
  description: 'A run on a runner: the image and how to run it',
  fields: (t) => ({
    image: t.string({ required: true, description: "name:tag or name@digest in this server's registry" }),
    entrypoint: t.stringList({ description: "overrides the image's ENTRYPOINT (and clears its CMD)" }),
    cmd: t.stringList({ description: "overrides the image's CMD" }),
    env: t.stringList({ description: 'KEY=VALUE entries added to the image environment' }),
    timeout: t.int({ description: 'seconds' }),
    spec: t.string({ description: 'spec slug (else the testbed spec, else the default spec)' }),
    filePaths: t.stringList({ description: 'files read after the run and parsed instead of stdout' }),
    confirmRounds: t.int({
      description:
        "rounds of the confirmation of this run's alerts (default: the project's; 0: do not confirm); more are run when many alerts need it, at most 30",
    }),
  }),
});

const CreateRunInput = builder.inputType('CreateRunInput', {
  fields: (t) => ({
    project: t.string({ required: true, description: 'project slug; an anonymous first run creates it' }),
    branch: t.string({ description: 'name or slug; default "main"; created on first use' }),
    hash: t.string({ description: 'git commit hash' }),
    startPoint: t.string({ description: 'branch whose history a new branch starts from' }),
    startPointHash: t.string({ description: 'the start point commit the branch left it at' }),
    startPointCloneThresholds: t.boolean({ description: "copy the start point's thresholds" }),
    startPointReset: t.boolean({ description: "start the branch's history afresh" }),
    testbed: t.string({ description: 'name or slug; default "localhost"; created on first use' }),
    adapter: t.string({ description: 'output format; default "magic"' }),
    average: t.field({ type: AverageEnum }),
    fold: t.field({ type: FoldEnum }),
    iterations: t.int({ description: 'remote runs: how many times the runner runs the workload' }),
    startTime: t.field({ type: 'DateTime' }),
    endTime: t.field({ type: 'DateTime' }),
    results: t.stringList({ description: 'a local run: one benchmark output per iteration' }),
    job: t.field({ type: RunJobInput, description: 'a run on a runner' }),
    thresholds: t.field({ type: [ThresholdInput] }),
    thresholdsReset: t.boolean({
      description: 'thresholds of this branch and testbed not given lose their model',
    }),
  }),
});

const CreateRunPayload = builder
  .objectRef<{ report: Row<'report'>; job: Row<'job'> | null }>('CreateRunPayload')
  .implement({
    fields: (t) => ({
      report: t.field({ type: ReportRef, resolve: (p) => p.report }),
      job: t.field({ type: JobRef, nullable: true, description: 'remote runs only', resolve: (p) => p.job }),
    }),
  });

builder.mutationFields((t) => ({
  createRun: t.field({
    type: CreateRunPayload,
    description:
      'Submits a run. A local run (results) is processed at once; a remote run (job) is queued for a runner. ' +
      'Anonymous callers may run on a new or unclaimed public project.',
    args: { input: t.arg({ type: CreateRunInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const result = await createRun(
        {
          db: ctx.db,
          config: ctx.config,
          services: ctx.services,
          viewer: ctx.viewer,
          role: ctx.role,
          now: ctx.clock.now(),
          channel: ctx.events.sqlChannel,
          waiters: claimWaitersFor(ctx.events),
        },
        input,
      );
      await publishAll(ctx.events, result.events, ctx.log);
      return { report: result.report, job: result.job };
    },
  }),
}));
