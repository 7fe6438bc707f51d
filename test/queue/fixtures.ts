import { randomBytes } from 'node:crypto';
import { createUserWithToken } from '../../src/server/accounts/users.js';
import type { RunningServer } from '../../src/server/app.js';
import type { Tier } from '../../src/server/config.js';
import type { Database } from '../../src/server/db/database.js';
import { claimWaitersFor } from '../../src/server/queue/claim-waiters.js';
import { type CreateJobInput, createJob } from '../../src/server/queue/create-job.js';
import { publishAll } from '../../src/server/queue/events.js';
import { settleHandOff } from '../../src/server/queue/hand-off.js';
import type { GraphqlClient } from '../helpers/graphql-client.js';
import type { TestServer } from '../helpers/server.js';

export const DIGEST = `sha256:${'ab'.repeat(32)}`;
export const IMAGE = `bench/app@${DIGEST}`;

const suffix = () => randomBytes(4).toString('hex');

export interface Tenant {
  orgId: string;
  projectId: string;
  projectSlug: string;
  branchId: string;
  testbedId: string;
}

const PLAN: Record<Tier, { claimed: boolean; plan: string; plan_level: string }> = {
  UNCLAIMED: { claimed: false, plan: 'NONE', plan_level: 'FREE' },
  FREE: { claimed: true, plan: 'NONE', plan_level: 'FREE' },
  TEAM: { claimed: true, plan: 'METERED', plan_level: 'TEAM' },
  ENTERPRISE: { claimed: true, plan: 'LICENSED', plan_level: 'ENTERPRISE' },
};

/** An organization of the given tier with one project, branch and testbed. */
export async function createTenant(
  db: Database,
  tier: Tier,
  options: { visibility?: 'PUBLIC' | 'PRIVATE'; memberUserId?: string } = {},
): Promise<Tenant> {
  const s = suffix();
  const plan = PLAN[tier];
  const org = await db
    .insertInto('organization')
    .values({
      name: `org ${s}`,
      slug: `org-${s}`,
      claimed_at: plan.claimed ? new Date() : null,
      plan: plan.plan,
      plan_level: plan.plan_level,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.memberUserId) {
    await db
      .insertInto('membership')
      .values({ organization_id: org.id, user_id: options.memberUserId, role: 'MEMBER' })
      .execute();
  }
  const project = await db
    .insertInto('project')
    .values({
      organization_id: org.id,
      name: `p ${s}`,
      slug: `p-${s}`,
      visibility: options.visibility ?? 'PUBLIC',
    })
    .returning(['id', 'slug'])
    .executeTakeFirstOrThrow();
  const branch = await db
    .insertInto('branch')
    .values({ project_id: project.id, name: 'main', slug: 'main' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const testbed = await db
    .insertInto('testbed')
    .values({ project_id: project.id, name: 'ci', slug: 'ci' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    orgId: org.id,
    projectId: project.id,
    projectSlug: project.slug,
    branchId: branch.id,
    testbedId: testbed.id,
  };
}

export async function createSpec(db: Database, slug: string, isDefault = false): Promise<string> {
  // The first start made a default spec; a test's own default replaces it (one default at most).
  if (isDefault)
    await db.updateTable('spec').set({ is_default: null }).where('is_default', 'is not', null).execute();
  const row = await db
    .insertInto('spec')
    .values({
      name: slug,
      slug,
      cpu: 2,
      memory: 1 << 30,
      disk: 1 << 30,
      is_default: isDefault ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface RunnerHandle {
  id: string;
  key: string;
  client: GraphqlClient;
}

/** A runner made the way an admin does it: the createRunner mutation. */
export async function createRunner(server: TestServer, specs: string[]): Promise<RunnerHandle> {
  const data = await server.client(server.adminToken).data(
    `mutation($name: String!, $specs: [String!]!) {
      createRunner(name: $name, specs: $specs) { key runner { id } }
    }`,
    { name: `runner ${suffix()}`, specs },
  );
  return {
    id: data.createRunner.runner.id,
    key: data.createRunner.key,
    client: server.client(data.createRunner.key),
  };
}

export async function createMember(db: Database, tenant: Tenant): Promise<string> {
  const { userId, token } = await createUserWithToken(db, { name: `user ${suffix()}` }, new Date());
  await db
    .insertInto('membership')
    .values({ organization_id: tenant.orgId, user_id: userId, role: 'MEMBER' })
    .execute();
  return token.secret;
}

export async function createReport(
  db: Database,
  tenant: Tenant,
  adapter = 'json',
  startTime = new Date(),
): Promise<string> {
  const report = await db
    .insertInto('report')
    .values({
      project_id: tenant.projectId,
      branch_id: tenant.branchId,
      testbed_id: tenant.testbedId,
      adapter,
      start_time: startTime,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return report.id;
}

/** A job of the tenant's testbed for createJob, as a remote run of IMAGE would ask for it. */
export function jobInput(
  tenant: Tenant,
  reportId: string,
  overrides: Partial<CreateJobInput> = {},
): CreateJobInput {
  return {
    reportId,
    projectId: tenant.projectId,
    organizationId: tenant.orgId,
    testbedId: tenant.testbedId,
    image: IMAGE,
    entrypoint: null,
    cmd: ['bench'],
    env: {},
    timeoutSeconds: null,
    spec: null,
    filePaths: [],
    iterations: 1,
    sourceIp: '203.0.113.1',
    ...overrides,
  };
}

/**
 * What createRun does for a remote run: a report and its job in one transaction, events after commit.
 * `onReport` runs once the report exists, where createJob's own work starts (the claim-latency bench
 * starts its clock there).
 */
export async function submit(
  server: Pick<RunningServer, 'deps'>,
  tenant: Tenant,
  overrides: Partial<CreateJobInput> & { adapter?: string; onReport?: () => void } = {},
) {
  const { adapter, onReport, ...input } = overrides;
  const { db, config, services, clock, events, log } = server.deps;
  const result = await settleHandOff((keepHandOff) =>
    db.transaction().execute(async (trx) => {
      const reportId = await createReport(trx, tenant, adapter);
      onReport?.();
      const created = await createJob(
        trx,
        { config, services, now: clock.now(), channel: events.sqlChannel, waiters: claimWaitersFor(events) },
        jobInput(tenant, reportId, input),
      );
      keepHandOff(created.handOff);
      return created;
    }),
  );
  await publishAll(events, result.events, log);
  return result.job;
}

const JOB_FIELDS =
  'id status priority tier exitCode failureReason failureMessage billedMinutes cancelRequested';

/** The runner side of the protocol over HTTP. */
export function runnerApi(client: GraphqlClient) {
  return {
    /** `start`: the claim leaves the job RUNNING (the runner's own claim, src/runner/main.ts). */
    claim: (specs: string[] | null = null, waitSeconds = 0, start = false) =>
      client
        .data(
          `mutation($specs: [String!], $wait: Int, $start: Boolean) {
            claimJob(specs: $specs, waitSeconds: $wait, start: $start) {
              pullToken job { ${JOB_FIELDS} }
              config { registryUrl repository digest entrypoint cmd env timeoutSeconds filePaths iterations }
            }
          }`,
          { specs, wait: waitSeconds, start },
        )
        .then((d) => d.claimJob as null | { job: any; config: any; pullToken: string | null }),
    start: (jobId: string) =>
      client.request(`mutation($id: UUID!) { startJob(jobId: $id) { ${JOB_FIELDS} } }`, { id: jobId }),
    append: (jobId: string, chunks: Array<{ stream?: string; seq: number; text: string }>) =>
      client.request(
        `mutation($id: UUID!, $chunks: [LogChunkInput!]!) { appendJobLogs(jobId: $id, chunks: $chunks) }`,
        {
          id: jobId,
          chunks: chunks.map((c) => ({
            stream: c.stream ?? 'STDOUT',
            seq: c.seq,
            data: Buffer.from(c.text).toString('base64'),
          })),
        },
      ),
    heartbeat: (jobId: string, waitSeconds?: number) =>
      client.request(
        `mutation($id: UUID!, $wait: Int) { heartbeatJob(jobId: $id, waitSeconds: $wait) { cancel } }`,
        {
          id: jobId,
          wait: waitSeconds,
        },
      ),
    complete: (
      jobId: string,
      exitCode: number,
      outputs: Array<{ iteration: number; exitCode: number; files?: unknown; stdout?: string }>,
    ) =>
      client.request(
        `mutation($id: UUID!, $code: Int!, $outputs: [JobOutputInput!]!) {
          completeJob(jobId: $id, exitCode: $code, outputs: $outputs) { ${JOB_FIELDS} }
        }`,
        { id: jobId, code: exitCode, outputs },
      ),
    fail: (jobId: string, reason: string, message = 'it broke') =>
      client.request(
        `mutation($id: UUID!, $reason: RunnerFailureReason!, $message: String) {
          failJob(jobId: $id, reason: $reason, message: $message) { ${JOB_FIELDS} }
        }`,
        { id: jobId, reason, message },
      ),
  };
}

export const jobStatus = async (db: Database, id: string) =>
  db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

export const bmf = (value: number) => JSON.stringify({ 'bench-a': { latency: { value } } });

/** Jobs inserted straight into the tables, no events: for bulk tests and "missed event" cases. */
export async function insertPendingJobs(
  db: Database,
  tenant: Tenant,
  specId: string,
  count: number,
  options: { priority: number; sourceIp?: string },
): Promise<string[]> {
  const reports = await db
    .insertInto('report')
    .values(
      Array.from({ length: count }, () => ({
        project_id: tenant.projectId,
        branch_id: tenant.branchId,
        testbed_id: tenant.testbedId,
        adapter: 'json',
        start_time: new Date(),
      })),
    )
    .returning('id')
    .execute();
  const config = {
    registryUrl: 'x',
    repository: 'bench/app',
    digest: DIGEST,
    entrypoint: null,
    cmd: null,
    env: {},
    timeoutSeconds: 60,
    filePaths: [],
    iterations: 1,
  };
  const jobs = await db
    .insertInto('job')
    .values(
      reports.map((r) => ({
        report_id: r.id,
        organization_id: tenant.orgId,
        project_id: tenant.projectId,
        spec_id: specId,
        priority: options.priority,
        config: JSON.stringify(config),
        timeout_seconds: 60,
        source_ip: options.sourceIp ?? '203.0.113.1',
      })),
    )
    .returning('id')
    .execute();
  return jobs.map((j) => j.id);
}
