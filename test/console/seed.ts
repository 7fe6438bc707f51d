import { validateJobNoise } from '../../src/server/noise/job-noise.js';
import { cancelJob } from '../../src/server/queue/cancel-job.js';
import { completeJob } from '../../src/server/queue/complete-job.js';
import { publishAll } from '../../src/server/queue/events.js';
import { expireJob } from '../../src/server/queue/expire-job.js';
import { startJob } from '../../src/server/queue/start-job.js';
import type { TestServer } from '../helpers/server.js';

// Data for the console tests: organizations, projects and their dimensions through the API;
// reports, metrics, boundaries, alerts, jobs and logs straight into the tables, as the results
// pipeline and the runners would leave them.

export interface SeededProject {
  id: string;
  slug: string;
  organizationId: string;
  branchId: string;
  testbedId: string;
  measureId: string;
  benchmarkIds: Record<string, string>;
  specId: string;
}

const day = 24 * 3600 * 1000;

export async function seedProject(
  server: TestServer,
  slug: string,
  visibility: 'PUBLIC' | 'PRIVATE',
): Promise<SeededProject> {
  const admin = server.client(server.adminToken);
  const { createOrganization: org } = await admin.data(
    `mutation($slug: String!) { createOrganization(name: $slug, slug: $slug) { id slug } }`,
    { slug: `${slug}-org` },
  );
  const { createProject: project } = await admin.data(
    `mutation($input: CreateProjectInput!) { createProject(input: $input) { id slug } }`,
    { input: { organization: org.slug, name: `Project ${slug}`, slug, visibility } },
  );
  const create = async (kind: string, input: Record<string, unknown>) => {
    const data = await admin.data(
      `mutation($input: CreateResourceInput!) { ${kind}(input: $input) { id } }`,
      { input: { project: slug, ...input } },
    );
    return data[kind].id as string;
  };
  const branchId = await create('createBranch', { name: 'main', slug: 'main' });
  const testbedId = await create('createTestbed', { name: 'ci-linux', slug: 'ci-linux' });
  const measureId = await create('createMeasure', {
    name: 'Latency',
    slug: 'latency',
    units: 'nanoseconds (ns)',
  });
  const benchmarkIds: Record<string, string> = {};
  for (const name of ['sort', 'search'])
    benchmarkIds[name] = await create('createBenchmark', { name, slug: name });
  const spec = await server.deps.db
    .insertInto('spec')
    .values({ name: `Spec ${slug}`, slug: `spec-${slug}`, cpu: 2, memory: 4e9, disk: 1e10 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id: project.id,
    slug,
    organizationId: org.id,
    branchId,
    testbedId,
    measureId,
    benchmarkIds,
    specId: spec.id,
  };
}

export interface Measurement {
  value: number;
  baseline: number;
  lower: number;
  upper: number;
}

/** Per benchmark name: its metric and boundary in one report. */
export type HistoryPoint = Record<string, Measurement>;

/**
 * One report per point, a day apart, ending now; every metric gets a boundary from one
 * percentage threshold, and a value outside its limits an ACTIVE alert. Returns the report ids.
 */
export async function seedHistory(
  server: TestServer,
  p: SeededProject,
  points: HistoryPoint[],
  options: { measureId?: string } = {},
) {
  const db = server.deps.db;
  const measureId = options.measureId ?? p.measureId;
  const threshold = await db
    .insertInto('threshold')
    .values({ project_id: p.id, branch_id: p.branchId, testbed_id: p.testbedId, measure_id: measureId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const model = await db
    .insertInto('model')
    .values({ threshold_id: threshold.id, test: 'PERCENTAGE', lower_boundary: 0.1, upper_boundary: 0.1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('threshold').set({ model_id: model.id }).where('id', '=', threshold.id).execute();
  const reports: string[] = [];
  const alerts: string[] = [];
  const now = Date.now();
  for (const [i, point] of points.entries()) {
    const time = new Date(now - (points.length - 1 - i) * day);
    const hash = `${(i + 1).toString(16).padStart(2, '0')}abcdef0123`;
    const report = await db
      .insertInto('report')
      .values({
        project_id: p.id,
        branch_id: p.branchId,
        testbed_id: p.testbedId,
        spec_id: p.specId,
        git_hash: hash,
        adapter: 'json',
        start_time: time,
        end_time: time,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    reports.push(report.id);
    for (const [name, { value, baseline, lower, upper }] of Object.entries(point)) {
      const rb = await db
        .insertInto('report_benchmark')
        .values({ report_id: report.id, iteration: 0, benchmark_id: p.benchmarkIds[name] })
        .returning('id')
        .executeTakeFirstOrThrow();
      const metric = await db
        .insertInto('metric')
        .values({
          report_benchmark_id: rb.id,
          report_id: report.id,
          branch_id: p.branchId,
          testbed_id: p.testbedId,
          benchmark_id: p.benchmarkIds[name],
          measure_id: measureId,
          spec_id: p.specId,
          git_hash: hash,
          iteration: 0,
          time,
          value,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const boundary = await db
        .insertInto('boundary')
        .values({
          metric_id: metric.id,
          threshold_id: threshold.id,
          model_id: model.id,
          baseline,
          lower_limit: lower,
          upper_limit: upper,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (value > upper || value < lower) {
        const alert = await db
          .insertInto('alert')
          .values({ boundary_id: boundary.id, project_id: p.id, side: value > upper ? 'UPPER' : 'LOWER' })
          .returning('id')
          .executeTakeFirstOrThrow();
        alerts.push(alert.id);
      }
    }
  }
  return { reports, alerts };
}

/** A job as createRun leaves it: a report without results and a PENDING job; announced on the bus. */
export async function seedJob(
  server: TestServer,
  p: SeededProject,
): Promise<{ jobId: string; reportId: string }> {
  const db = server.deps.db;
  const report = await db
    .insertInto('report')
    .values({
      project_id: p.id,
      branch_id: p.branchId,
      testbed_id: p.testbedId,
      spec_id: p.specId,
      git_hash: 'feedface00',
      adapter: 'json',
      start_time: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const job = await db
    .insertInto('job')
    .values({
      report_id: report.id,
      organization_id: p.organizationId,
      project_id: p.id,
      spec_id: p.specId,
      priority: 100,
      config: JSON.stringify({
        registryUrl: '127.0.0.1',
        repository: `${p.slug}/bench`,
        digest: `sha256:${'ab'.repeat(32)}`,
        entrypoint: null,
        cmd: ['./bench'],
        env: {},
        timeoutSeconds: 600,
        filePaths: [],
        iterations: 1,
      }),
      timeout_seconds: 600,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await server.deps.events.publish({ topic: 'job', jobId: job.id, projectId: p.id, status: 'PENDING' });
  return { jobId: job.id, reportId: report.id };
}

/** What startJob does to the row, without a runner. */
export async function markRunning(server: TestServer, p: SeededProject, jobId: string) {
  const db = server.deps.db;
  const runner = await db
    .insertInto('runner')
    .values({ name: 'console test runner', slug: `runner-${jobId.slice(0, 8)}`, key_hash: `hash-${jobId}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const now = new Date();
  await db
    .updateTable('job')
    .set({
      status: 'RUNNING',
      runner_id: runner.id,
      claimed_at: now,
      started_at: now,
      last_heartbeat_at: now,
    })
    .where('id', '=', jobId)
    .execute();
  await server.deps.events.publish({ topic: 'job', jobId, projectId: p.id, status: 'RUNNING' });
}

/** What appendJobLogs does: store the chunks, then announce their seq range. */
export async function appendLogs(
  server: TestServer,
  jobId: string,
  chunks: Array<{ seq: number; stream: 'STDOUT' | 'STDERR'; data: string }>,
) {
  await server.deps.db
    .insertInto('job_log_chunk')
    .values(chunks.map((c) => ({ job_id: jobId, seq: c.seq, stream: c.stream, data: Buffer.from(c.data) })))
    .execute();
  const seqs = chunks.map((c) => c.seq);
  await server.deps.events.publish({
    topic: 'logs',
    jobId,
    fromSeq: Math.min(...seqs),
    toSeq: Math.max(...seqs),
  });
}

/** What a runner reporting a non-zero exit leaves: a FAILED job whose report has no results. */
export async function markFailed(server: TestServer, p: SeededProject, jobId: string) {
  await markRunning(server, p, jobId);
  await server.deps.db
    .updateTable('job')
    .set({
      status: 'FAILED',
      finished_at: new Date(),
      exit_code: 2,
      failure_reason: 'NONZERO_EXIT',
      failure_message: 'the benchmark exited with status 2',
    })
    .where('id', '=', jobId)
    .execute();
  await server.deps.events.publish({ topic: 'job', jobId, projectId: p.id, status: 'FAILED' });
}

/** A user's cancel of a job that had not started, through the real cancelJob: CANCELED at once. */
export async function cancelPending(server: TestServer, jobId: string) {
  const { events } = await cancelJob(server.deps.db, { jobId, now: new Date() });
  for (const event of events) await server.deps.events.publish(event);
}

/**
 * A runner that ran one job per `cvPcts` entry, ten minutes apart, each started through the real
 * startJob with a noise probe (which also keeps the runner's latest noise). Returns its slug.
 */
export async function seedRunnerNoise(
  server: TestServer,
  p: SeededProject,
  name: string,
  cvPcts: number[],
): Promise<string> {
  const db = server.deps.db;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const runner = await db
    .insertInto('runner')
    .values({ name, slug, key_hash: `hash-${slug}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const start = Date.now() - cvPcts.length * 600_000;
  for (const [i, cvPct] of cvPcts.entries()) {
    const { jobId } = await seedJob(server, p);
    const at = new Date(start + i * 600_000);
    await db
      .updateTable('job')
      .set({ status: 'CLAIMED', runner_id: runner.id, claimed_at: at })
      .where('id', '=', jobId)
      .execute();
    const noise = validateJobNoise({ cvPct, stealPct: 0.4, load: 1.25, probeMs: 262, tuning: [] });
    await startJob(db, { jobId, runnerId: runner.id, now: at, noise });
  }
  return slug;
}

/** What a finished confirmation leaves on an alert: its verdict and the evidence for it. */
export async function confirmAlert(
  server: TestServer,
  alertId: string,
  arms: { head: number[]; base: number[] },
) {
  const evidence = {
    test: 'MANN_WHITNEY',
    pValue: 0.0002,
    adjustedPValue: 0.0004,
    changePercent: 29.5,
    lowerPercent: 26.1,
    upperPercent: 33.2,
    alpha: 0.05,
    minEffectPercent: 2,
    rounds: arms.head.length,
    head: arms.head,
    base: arms.base,
    baseDigest: `sha256:${'cd'.repeat(32)}`,
  };
  await server.deps.db
    .updateTable('alert')
    .set({ verdict: 'CONFIRMED', evidence: JSON.stringify(evidence) })
    .where('id', '=', alertId)
    .execute();
}

/** What the sweeper does to a running job whose runner went silent (its server died). */
export async function heartbeatFail(server: TestServer, jobId: string) {
  const { db, config, events } = server.deps;
  const silentSince = new Date(Date.now() + (config.heartbeatTimeoutSeconds + 1) * 1000);
  const expired = await expireJob(db, config, { jobId, expiry: 'HEARTBEAT_TIMEOUT', now: silentSince });
  if (!expired.length) throw new Error(`job ${jobId} was not RUNNING or CLAIMED`);
  await publishAll(events, expired);
}

/** The runner's retried completeJob, landing after the sweeper failed the job (one iteration). */
export async function completeLate(server: TestServer, jobId: string, stdout: string) {
  const { db, config, events } = server.deps;
  const { runner_id } = await db
    .selectFrom('job')
    .select('runner_id')
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow();
  if (!runner_id) throw new Error(`job ${jobId} has no runner`);
  const outputs = [{ iteration: 0, exitCode: 0, files: {}, stdout }];
  await completeJob(
    db,
    config,
    { jobId, runnerId: runner_id, exitCode: 0, outputs, now: new Date() },
    (list) => publishAll(events, list),
  );
}
