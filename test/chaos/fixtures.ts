import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminToken } from '../../src/server/accounts/users.js';
import { createDatabase } from '../../src/server/db/database.js';
import { type GraphqlClient, graphqlClient } from '../helpers/graphql-client.js';
import { describeProcesses, type Spawned, until } from '../helpers/processes.js';
import { removeTree } from '../helpers/remove-tree.js';
import { pushImage, scriptLayers, storedLog, type World } from '../runner/fixtures.js';

export { bmf, scriptLayers } from '../runner/fixtures.js';

const suffix = () => randomBytes(4).toString('hex');

/** A project, a spec and runners on a server that runs in another process. */
export interface ChaosWorld {
  dir: string;
  url: string;
  adminToken: string;
  admin: GraphqlClient;
  project: string;
  spec: string;
  /** Runner keys, one per runner asked for. */
  runnerKeys: string[];
  push(script: string): Promise<string>;
  submit(image: string, filePaths?: string[]): Promise<string>;
  status(jobId: string): Promise<JobState>;
  /** Polls until the job is terminal (bounded); throws with the processes' output otherwise. */
  finished(jobId: string, processes: Spawned[], timeoutMs?: number): Promise<JobState>;
  log(jobId: string): Promise<{ stdout: string; stderr: string }>;
}

export interface JobState {
  status: string;
  failureReason: string | null;
  failureMessage: string | null;
  exitCode: number | null;
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => removeTree(dir) };
}

/** Sets up, through the API of a running server process, what a job needs. */
export async function chaosWorld(options: {
  dir: string;
  url: string;
  databaseUrl: string;
  runners: number;
}): Promise<ChaosWorld> {
  const db = createDatabase({ url: options.databaseUrl, max: 1 });
  const adminToken = (await createAdminToken(db, new Date())).secret;
  await db.destroy();
  const admin = graphqlClient(options.url, adminToken);
  const s = suffix();
  const org = `chaos-org-${s}`;
  const project = `chaos-proj-${s}`;
  const spec = `chaos-spec-${s}`;
  await admin.data('mutation ($n: String!) { createOrganization(name: $n, slug: $n) { id } }', { n: org });
  await admin.data('mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }', {
    input: { organization: org, name: project, slug: project, visibility: 'PRIVATE' },
  });
  await admin.data('mutation ($input: CreateSpecInput!) { createSpec(input: $input) { id } }', {
    input: { name: spec, slug: spec, cpu: 1, memory: 2 ** 30, disk: 2 ** 30, network: false },
  });
  const runnerKeys: string[] = [];
  for (let i = 0; i < options.runners; i++) {
    const runner = await admin.data<{ createRunner: { key: string } }>(
      'mutation ($n: String!, $s: [String!]!) { createRunner(name: $n, specs: $s) { key } }',
      { n: `chaos-runner-${s}-${i}`, s: [spec] },
    );
    runnerKeys.push(runner.createRunner.key);
  }
  // The runner test fixtures only read these fields of their World.
  const asWorld = () =>
    ({ dir: options.dir, server: { url: options.url, adminToken }, project, admin }) as unknown as World;
  const status = async (jobId: string) =>
    (
      await admin.data<{ job: JobState }>(
        'query ($id: UUID!) { job(id: $id) { status failureReason failureMessage exitCode } }',
        { id: jobId },
      )
    ).job;
  return {
    dir: options.dir,
    url: options.url,
    adminToken,
    admin,
    project,
    spec,
    runnerKeys,
    push: (script) => pushImage(asWorld(), scriptLayers(script)),
    submit: async (image, filePaths) => {
      const data = await admin.data<{ createRun: { job: { id: string } } }>(
        'mutation ($input: CreateRunInput!) { createRun(input: $input) { job { id } } }',
        {
          input: {
            project,
            testbed: 'chaos',
            adapter: 'json',
            job: { spec, image, ...(filePaths ? { filePaths } : {}) },
          },
        },
      );
      return data.createRun.job.id;
    },
    status,
    finished: (jobId, processes, timeoutMs = 60_000) =>
      until(
        `job ${jobId} to finish`,
        async () => {
          const job = await status(jobId);
          return ['PROCESSED', 'FAILED', 'CANCELED'].includes(job.status) ? job : undefined;
        },
        timeoutMs,
        250,
      ).catch((error) => {
        throw new Error(`${String(error)}\n${describeProcesses(processes)}`);
      }),
    log: async (jobId) => {
      const log = await storedLog(asWorld(), jobId);
      return { stdout: log.stdout.toString(), stderr: log.stderr.toString() };
    },
  };
}
