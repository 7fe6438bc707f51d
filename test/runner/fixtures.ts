import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';
import { type RunnerOptions, type RunningRunner, startRunner } from '../../src/runner/main.js';
import type { Config } from '../../src/server/config.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { registryExtension } from '../../src/server/registry/extension.js';
import { openTestBlobStore } from '../helpers/blob-store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import type { GraphqlClient } from '../helpers/graphql-client.js';
import {
  type BuiltLayer,
  buildLayer,
  buildOciImage,
  busyboxEntries,
  type ImageConfigInput,
  type LayerEntry,
} from '../helpers/oci-image.js';
import { removeTree } from '../helpers/remove-tree.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const suffix = () => randomBytes(4).toString('hex');

export interface World {
  server: TestServer;
  database: TestDatabase;
  blobDir: string;
  dir: string;
  admin: GraphqlClient;
  org: string;
  project: string;
  /** Spec slugs: `closed` has no network, `open` has. */
  specs: { closed: string; open: string };
  runnerKey: string;
  /** Stops the server and starts a new one on the same database, blob store and port. */
  restart(): Promise<void>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
}

/** A real server (registry + queue) over a fresh database, a private project, two specs and a runner. */
export async function startWorld(
  config: Partial<Config> = {},
  /** More server extensions (e.g. the console) beside the registry and the queue. */
  extra: NonNullable<Parameters<typeof startTestServer>[0]>['extensions'] = [],
): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'benchline-runner-e2e-'));
  // Searchable (not listable) by others: a root runner's sandboxes, each its own uid, reach their rootfs.
  await chmod(dir, 0o711);
  afterAll(() => removeTree(dir));
  const blobDir = join(dir, 'registry');
  const database = await createTestDatabase();
  // One store for the world: it outlives the server restarts some tests do.
  const store = await openTestBlobStore(blobDir);
  const boot = (port?: number) =>
    startTestServer({
      database,
      config: { blobDir, sweepIntervalMs: 200, ...config, ...(port ? { port } : {}) },
      extensions: [registryExtension({ blobDir, store }), queueExtension(), ...(extra ?? [])],
    });
  const world = { dir, blobDir, database } as World;
  world.server = await boot();
  const port = Number(new URL(world.server.url).port);
  world.admin = world.server.client(world.server.adminToken);
  let running = true;
  world.stopServer = async () => {
    if (!running) return;
    running = false;
    await world.server.stop();
  };
  world.startServer = async () => {
    const previous = world.server;
    for (let attempt = 0; ; attempt++) {
      try {
        world.server = await boot(port);
        break;
      } catch (error) {
        // The old socket may linger a moment after close.
        if (attempt > 50 || !String(error).includes('EADDRINUSE')) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    world.server.adminToken = previous.adminToken;
    world.admin = world.server.client(previous.adminToken);
    running = true;
  };
  world.restart = async () => {
    await world.stopServer();
    await world.startServer();
  };

  const s = suffix();
  world.org = `runner-org-${s}`;
  world.project = `runner-proj-${s}`;
  await world.admin.data('mutation ($n: String!) { createOrganization(name: $n, slug: $n) { id } }', {
    n: world.org,
  });
  await world.admin.data('mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }', {
    input: { organization: world.org, name: world.project, slug: world.project, visibility: 'PRIVATE' },
  });
  world.specs = { closed: `closed-${s}`, open: `open-${s}` };
  for (const [slug, network] of [
    [world.specs.closed, false],
    [world.specs.open, true],
  ] as const) {
    await world.admin.data('mutation ($input: CreateSpecInput!) { createSpec(input: $input) { id } }', {
      input: { name: slug, slug, cpu: 1, memory: 2 ** 30, disk: 2 ** 30, network },
    });
  }
  const runner = await world.admin.data<{ createRunner: { key: string } }>(
    'mutation ($n: String!, $s: [String!]!) { createRunner(name: $n, specs: $s) { key } }',
    { n: `runner-${s}`, s: [world.specs.closed, world.specs.open] },
  );
  world.runnerKey = runner.createRunner.key;
  return world;
}

let baseLayer: BuiltLayer | undefined;

/** busybox plus a script at /bench/run.sh, as a two-layer image. */
export function scriptLayers(script: string, extra: LayerEntry[] = []): BuiltLayer[] {
  baseLayer ??= buildLayer([...busyboxEntries(), { type: 'symlink', path: 'bin/grep', target: 'busybox' }]);
  return [
    baseLayer,
    buildLayer([
      { type: 'dir', path: 'bench/' },
      { type: 'file', path: 'bench/run.sh', content: `#!/bin/sh\n${script}`, mode: 0o755 },
      ...extra,
    ]),
  ];
}

/** Builds an OCI layout and pushes it into the project's registry with skopeo; returns `repo:tag`. */
export async function pushImage(
  world: World,
  layers: BuiltLayer[],
  config: ImageConfigInput = { Cmd: ['/bench/run.sh'] },
): Promise<string> {
  const name = `img${suffix()}`;
  const layout = join(world.dir, name);
  const image = await buildOciImage({ dir: layout, layers, config, tag: 'v1' });
  const host = new URL(world.server.url).host;
  const digestFile = join(world.dir, `${name}.digest`);
  await run('skopeo', [
    'copy',
    '--quiet',
    '--insecure-policy',
    '--dest-tls-verify=false',
    '--dest-creds',
    `admin:${world.server.adminToken}`,
    '--digestfile',
    digestFile,
    `oci:${layout}:${image.tag}`,
    `docker://${host}/${world.project}/${name}:v1`,
  ]);
  await readFile(digestFile, 'utf8');
  return `${world.project}/${name}:v1`;
}

export interface RunJob {
  image: string;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  timeout?: number;
  spec?: string;
  filePaths?: string[];
}

/** createRun for a remote job; returns the job id and report id. */
export async function submit(
  world: World,
  job: RunJob,
  options: { adapter?: string; iterations?: number } = {},
): Promise<{ jobId: string; reportId: string }> {
  const data = await world.admin.data<{ createRun: { job: { id: string }; report: { id: string } } }>(
    'mutation ($input: CreateRunInput!) { createRun(input: $input) { job { id } report { id } } }',
    {
      input: {
        project: world.project,
        testbed: 'ci',
        adapter: options.adapter ?? 'json',
        iterations: options.iterations,
        job: { spec: world.specs.closed, ...job },
      },
    },
  );
  return { jobId: data.createRun.job.id, reportId: data.createRun.report.id };
}

export interface JobView {
  id: string;
  status: string;
  failureReason: string | null;
  failureMessage: string | null;
  exitCode: number | null;
  outputs: Array<{ iteration: number; exitCode: number; files: Record<string, string> }>;
}

const JOB = `query ($id: UUID!) { job(id: $id) {
  id status failureReason failureMessage exitCode outputs { iteration exitCode files }
} }`;

export async function jobView(world: World, jobId: string): Promise<JobView> {
  return (await world.admin.data<{ job: JobView }>(JOB, { id: jobId })).job;
}

const TERMINAL = new Set(['PROCESSED', 'FAILED', 'CANCELED']);

/** Polls until the job is in one of `statuses` (default: any terminal one). */
export async function waitForJob(
  world: World,
  jobId: string,
  until: (job: JobView) => boolean = (job) => TERMINAL.has(job.status),
): Promise<JobView> {
  for (;;) {
    const job = await jobView(world, jobId).catch(() => undefined);
    if (job && until(job)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The job's stored log, both streams in seq order, as bytes. */
export async function storedLog(
  world: World,
  jobId: string,
): Promise<{ all: Buffer; stdout: Buffer; stderr: Buffer }> {
  const parts: Array<{ seq: number; stream: string; data: string }> = [];
  for (;;) {
    const after = parts.length ? parts[parts.length - 1].seq : -1;
    const data = await world.admin.data<{ jobLogChunks: typeof parts }>(
      'query ($id: UUID!, $after: Int) { jobLogChunks(jobId: $id, afterSeq: $after) { seq stream data } }',
      { id: jobId, after },
    );
    if (data.jobLogChunks.length === 0) break;
    parts.push(...data.jobLogChunks);
  }
  parts.forEach((p, i) => {
    if (p.seq !== i) throw new Error(`log has a gap at ${i}`);
  });
  const of = (stream?: string) =>
    Buffer.concat(
      parts.filter((p) => !stream || p.stream === stream).map((p) => Buffer.from(p.data, 'base64')),
    );
  return { all: of(), stdout: of('STDOUT'), stderr: of('STDERR') };
}

export const REPORT = `query ($id: UUID!) { report(id: $id) {
  results { iteration benchmarks { benchmark { name } measures { value measure { slug } } } }
} }`;

export const bmf = (name: string, value: number) => JSON.stringify({ [name]: { latency: { value } } });

/**
 * The world's runner, in this process: a 10 s long-poll and a beat every 0.5 s, so a test sees
 * claims and cancels at once. `options` override (concurrency, specs, caps …).
 */
export function startWorldRunner(world: World, options: Partial<RunnerOptions> = {}): Promise<RunningRunner> {
  return startRunner({
    serverUrl: world.server.url,
    key: world.runnerKey,
    workDir: join(world.dir, 'runner'),
    claimWaitSeconds: 10,
    heartbeatIntervalMs: 500,
    ...options,
  });
}
