import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/server/db/database.js';
import type { EventBus } from '../../src/server/events/bus.js';
import { createSpec, createTenant, insertPendingJobs, type Tenant } from '../queue/fixtures.js';

export interface JobFixture {
  jobId: string;
  projectId: string;
  projectSlug: string;
  organizationId: string;
  runnerId: string;
  /** The job's project, branch and testbed, for another job beside it. */
  tenant: Tenant;
}

/** A pending job with everything it hangs off, inserted directly (the queue's mutations are not needed here). */
export async function createJob(
  db: Database,
  options: { visibility?: 'PUBLIC' | 'PRIVATE'; tenant?: Tenant } = {},
): Promise<JobFixture> {
  const s = randomBytes(4).toString('hex');
  const tenant = options.tenant ?? (await createTenant(db, 'UNCLAIMED', { visibility: options.visibility }));
  const specId = await createSpec(db, `spec-${s}`);
  const [jobId] = await insertPendingJobs(db, tenant, specId, 1, { priority: 0 });
  const runner = await db
    .insertInto('runner')
    .values({ name: `runner ${s}`, slug: `runner-${s}`, key_hash: `hash-${s}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    jobId: jobId as string,
    projectId: tenant.projectId,
    projectSlug: tenant.projectSlug,
    organizationId: tenant.orgId,
    runnerId: runner.id,
    tenant,
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
