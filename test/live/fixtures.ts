import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/server/db/database.js';
import type { EventBus } from '../../src/server/events/bus.js';

export interface JobFixture {
  jobId: string;
  projectId: string;
  projectSlug: string;
  organizationId: string;
  runnerId: string;
}

/** A job with everything it hangs off, inserted directly (the queue's mutations are not needed here). */
export async function createJob(
  db: Database,
  options: { visibility?: 'PUBLIC' | 'PRIVATE'; projectId?: string } = {},
): Promise<JobFixture> {
  const s = randomBytes(4).toString('hex');
  let project: { id: string; slug: string; organization_id: string };
  if (options.projectId) {
    project = await db
      .selectFrom('project')
      .select(['id', 'slug', 'organization_id'])
      .where('id', '=', options.projectId)
      .executeTakeFirstOrThrow();
  } else {
    const org = await db
      .insertInto('organization')
      .values({ name: `org ${s}`, slug: `org-${s}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    project = await db
      .insertInto('project')
      .values({
        organization_id: org.id,
        name: `project ${s}`,
        slug: `project-${s}`,
        visibility: options.visibility ?? 'PUBLIC',
      })
      .returning(['id', 'slug', 'organization_id'])
      .executeTakeFirstOrThrow();
  }
  const spec = await db
    .insertInto('spec')
    .values({ name: `spec ${s}`, slug: `spec-${s}`, cpu: 1, memory: 1 << 30, disk: 1 << 30 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const branch = await db
    .insertInto('branch')
    .values({ project_id: project.id, name: `main-${s}`, slug: `main-${s}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const testbed = await db
    .insertInto('testbed')
    .values({ project_id: project.id, name: `tb-${s}`, slug: `tb-${s}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const report = await db
    .insertInto('report')
    .values({
      project_id: project.id,
      branch_id: branch.id,
      testbed_id: testbed.id,
      adapter: 'json',
      start_time: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const runner = await db
    .insertInto('runner')
    .values({ name: `runner ${s}`, slug: `runner-${s}`, key_hash: `hash-${s}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const job = await db
    .insertInto('job')
    .values({
      report_id: report.id,
      organization_id: project.organization_id,
      project_id: project.id,
      spec_id: spec.id,
      priority: 0,
      config: JSON.stringify({ repository: 'r', digest: 'sha256:00', filePaths: [], iterations: 1 }),
      timeout_seconds: 60,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    jobId: job.id,
    projectId: project.id,
    projectSlug: project.slug,
    organizationId: project.organization_id,
    runnerId: runner.id,
  };
}

/** What appendJobLogs does: insert a batch of chunks, then announce the seq range. */
export async function appendChunks(
  db: Database,
  events: EventBus,
  jobId: string,
  fromSeq: number,
  count: number,
  text = (seq: number) => `line ${seq}\n`,
): Promise<void> {
  if (count <= 0) return;
  const rows = Array.from({ length: count }, (_, i) => ({
    job_id: jobId,
    seq: fromSeq + i,
    stream: (fromSeq + i) % 7 === 0 ? 'STDERR' : 'STDOUT',
    data: Buffer.from(text(fromSeq + i)),
  }));
  await db.insertInto('job_log_chunk').values(rows).execute();
  await events.publish({ topic: 'logs', jobId, fromSeq, toSeq: fromSeq + count - 1 });
}

/** A status change as the queue makes it: update the row, then publish. */
export async function setStatus(
  db: Database,
  events: EventBus,
  job: JobFixture,
  status: string,
): Promise<void> {
  const now = new Date();
  const set: Record<string, unknown> = { status };
  if (status === 'CLAIMED') Object.assign(set, { runner_id: job.runnerId, claimed_at: now });
  if (status === 'RUNNING') Object.assign(set, { runner_id: job.runnerId, started_at: now });
  if (status === 'COMPLETED') Object.assign(set, { finished_at: now, exit_code: 0 });
  if (status === 'PROCESSED') Object.assign(set, { processed_at: now });
  if (status === 'FAILED') Object.assign(set, { finished_at: now, failure_reason: 'RUNNER_ERROR' });
  if (status === 'CANCELED') Object.assign(set, { finished_at: now, failure_reason: 'CANCELED_BY_USER' });
  await db.updateTable('job').set(set).where('id', '=', job.jobId).execute();
  await events.publish({ topic: 'job', jobId: job.jobId, projectId: job.projectId, status });
}

/** Collects a stream until it ends. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
