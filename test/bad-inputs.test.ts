import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRunner } from '../src/runner/main.js';
import type { DB } from '../src/server/db/schema.js';
import { type GraphqlClient, graphqlClient } from './helpers/graphql-client.js';
import { buildLayer, buildOciImage, busyboxEntries, hostile, sha256 } from './helpers/oci-image.js';
import { killAll, spawnBenchline } from './helpers/processes.js';
import {
  bmf,
  pushImage,
  scriptLayers,
  startWorld,
  startWorldRunner,
  storedLog,
  submit,
  type World,
  waitForJob,
} from './runner/fixtures.js';

// Every row: something wrong is sent; the answer is a typed error a person can act on; and the
// database (row counts of every table) and the blob store are exactly as before.

let world: World;
let runner: RunningRunner | undefined;
let image: string;
/** A job claimed by world.runnerKey and started, with log chunk 0 stored. */
let claimed: string;
/** A job nobody has claimed (the FREE tier's one slot is taken by `claimed`). */
let pending: string;
let otherRunnerKey: string;
/** A second organization for the jobs the real runner executes, so the first one's slot does not block them. */
let runnerWorld: World;

const TABLES: Array<keyof DB> = [
  'alert',
  'api_token',
  'benchmark',
  'boundary',
  'branch',
  'job',
  'job_log_chunk',
  'job_output',
  'measure',
  'membership',
  'metric',
  'model',
  'organization',
  'project',
  'registry_blob',
  'registry_manifest',
  'registry_manifest_reference',
  'registry_repository',
  'registry_repository_blob',
  'registry_tag',
  'registry_upload',
  'report',
  'report_benchmark',
  'runner',
  'runner_spec',
  'spec',
  'testbed',
  'threshold',
  'usage',
  'user',
];

interface Snapshot {
  rows: Record<string, number>;
  blobs: string[];
}

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length))
    .sort();
}

async function snapshot(): Promise<Snapshot> {
  const rows: Record<string, number> = {};
  const counts = await sql<{ name: string; n: number }>`${sql.raw(
    TABLES.map((t) => `SELECT '${t}' AS name, count(*)::int AS n FROM "${t}"`).join(' UNION ALL '),
  )}`.execute(world.database.db);
  for (const { name, n } of counts.rows) rows[name] = n;
  return { rows, blobs: await files(world.blobDir) };
}

/** Runs `act` and checks that no table gained or lost a row and the blob store holds the same files. */
async function untouched(act: () => Promise<void>): Promise<void> {
  const before = await snapshot();
  await act();
  expect(await snapshot()).toEqual(before);
}

const CREATE_RUN =
  'mutation ($input: CreateRunInput!) { createRun(input: $input) { report { id } job { id } } }';

function runInput(overrides: Record<string, unknown> = {}, job: Record<string, unknown> | null = {}) {
  return {
    project: world.project,
    testbed: 'bad-inputs',
    adapter: 'json',
    ...(job ? { job: { spec: world.specs.closed, image, ...job } } : {}),
    ...overrides,
  };
}

async function gqlError(
  client: GraphqlClient,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ code?: string; message: string }> {
  const result = await client.request(query, variables);
  expect(result.errors, `expected an error, got ${JSON.stringify(result.data)}`).toBeDefined();
  const first = result.errors![0];
  return { code: first.extensions?.code, message: first.message };
}

/** The pushed image's repository: refusals there cannot hide behind a repository created on first push. */
const repo = () => image.slice(0, image.lastIndexOf(':'));

const runnerApi = (key: string) => graphqlClient(world.server.url, key);

async function registry(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${world.server.adminToken}`);
  return fetch(`${world.server.url}${path}`, { ...init, headers });
}

async function ociCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: Array<{ code: string }> };
  return body.errors?.[0]?.code;
}

function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawnBenchline(`benchline ${args.join(' ')}`, args, {
    BENCHLINE_HOST: world.server.url,
    BENCHLINE_TOKEN: world.server.adminToken,
    XDG_CONFIG_HOME: join(world.dir, 'cli-config'),
    ...env,
  });
  return child.exited.then((code) => ({ code, output: child.output() }));
}

beforeAll(async () => {
  world = await startWorld();
  image = await pushImage(world, scriptLayers(`echo '${bmf('ok', 1)}'\n`));
  const admin = world.admin;
  const other = await admin.data<{ createRunner: { key: string } }>(
    'mutation ($n: String!, $s: [String!]!) { createRunner(name: $n, specs: $s) { key } }',
    { n: `other-${randomBytes(3).toString('hex')}`, s: [world.specs.closed] },
  );
  otherRunnerKey = other.createRunner.key;

  const runnerOps = runnerApi(world.runnerKey);
  claimed = (await submit(world, { image })).jobId;
  const claim = await runnerOps.data<{ claimJob: { job: { id: string } } | null }>(
    'mutation ($s: [String!]) { claimJob(specs: $s, waitSeconds: 5) { job { id } } }',
    { s: [world.specs.closed] },
  );
  expect(claim.claimJob?.job.id).toBe(claimed);
  await runnerOps.data('mutation ($id: UUID!) { startJob(jobId: $id) { id } }', { id: claimed });
  await runnerOps.data(
    'mutation ($id: UUID!, $c: [LogChunkInput!]!) { appendJobLogs(jobId: $id, chunks: $c) }',
    { id: claimed, c: [{ stream: 'STDOUT', seq: 0, data: Buffer.from('first\n').toString('base64') }] },
  );
  pending = (await submit(world, { image })).jobId;

  // The real runner only takes jobs of the `open` spec, in an organization of their own.
  const s = randomBytes(3).toString('hex');
  const org = `bad-runner-org-${s}`;
  const project = `bad-runner-proj-${s}`;
  await admin.data('mutation ($n: String!) { createOrganization(name: $n, slug: $n) { id } }', { n: org });
  await admin.data('mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }', {
    input: { organization: org, name: project, slug: project, visibility: 'PRIVATE' },
  });
  runnerWorld = { ...world, project };
  runner = await startWorldRunner(world, { specs: [world.specs.open], claimWaitSeconds: 5 });
});

afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
  await killAll();
});

interface Row {
  area: 'API' | 'registry' | 'runner' | 'CLI';
  sent: string;
  expected: string;
  check: () => Promise<void>;
}

const rows: Row[] = [
  // ───────────── API (GraphQL extensions.code) ─────────────
  {
    area: 'API',
    sent: 'createRun with an unknown adapter',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({ adapter: 'no_such_adapter' }),
        });
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/adapter/);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with results that parse as nothing',
    expected: 'PARSE_ERROR',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({ results: ['this is not a benchmark output'] }, null),
        });
        expect(e.code).toBe('PARSE_ERROR');
      }),
  },
  {
    area: 'API',
    sent: 'createRun with a t_test threshold whose upper boundary is 99',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput(
            {
              results: [bmf('b', 1)],
              thresholds: [{ measure: 'latency', test: 'T_TEST', upperBoundary: 99 }],
            },
            null,
          ),
        });
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/boundary/i);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with an image on another registry host',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({}, { image: `ghcr.io/${world.project}/app:v1` }),
        });
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/registry|host/i);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with an image tag nobody pushed',
    expected: 'IMAGE_NOT_FOUND',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({}, { image: `${world.project}/never-pushed:v1` }),
        });
        expect(e.code).toBe('IMAGE_NOT_FOUND');
      }),
  },
  {
    area: 'API',
    sent: 'createRun with an unknown spec',
    expected: 'NOT_FOUND',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, { input: runInput({}, { spec: 'no-such-spec' }) });
        expect(e.code).toBe('NOT_FOUND');
        expect(e.message).toMatch(/spec/);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with a job timeout of -5',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, { input: runInput({}, { timeout: -5 }) });
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/timeout/);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with an oversized env (1 MiB value)',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({}, { env: [`BIG=${'x'.repeat(1024 * 1024)}`] }),
        });
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/env/i);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with an env entry without "="',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, { input: runInput({}, { env: ['NOEQUALS'] }) });
        expect(e.code).toBe('BAD_INPUT');
      }),
  },
  {
    area: 'API',
    sent: 'appendJobLogs with a gap (seq 5 after 0)',
    expected: 'LOG_GAP',
    check: () =>
      untouched(async () => {
        const e = await gqlError(
          runnerApi(world.runnerKey),
          'mutation ($id: UUID!, $c: [LogChunkInput!]!) { appendJobLogs(jobId: $id, chunks: $c) }',
          { id: claimed, c: [{ stream: 'STDOUT', seq: 5, data: Buffer.from('late\n').toString('base64') }] },
        );
        expect(e.code).toBe('LOG_GAP');
      }),
  },
  {
    area: 'API',
    sent: 'appendJobLogs repeating seq 0 with other bytes',
    expected: 'ignored (answers next seq 1)',
    check: () =>
      untouched(async () => {
        const data = await runnerApi(world.runnerKey).data<{ appendJobLogs: number }>(
          'mutation ($id: UUID!, $c: [LogChunkInput!]!) { appendJobLogs(jobId: $id, chunks: $c) }',
          { id: claimed, c: [{ stream: 'STDOUT', seq: 0, data: Buffer.from('again\n').toString('base64') }] },
        );
        expect(data.appendJobLogs).toBe(1);
        expect((await storedLog(world, claimed)).all.toString()).toBe('first\n');
      }),
  },
  {
    area: 'API',
    sent: 'appendJobLogs from a runner that did not claim the job',
    expected: 'FORBIDDEN',
    check: () =>
      untouched(async () => {
        const e = await gqlError(
          runnerApi(otherRunnerKey),
          'mutation ($id: UUID!, $c: [LogChunkInput!]!) { appendJobLogs(jobId: $id, chunks: $c) }',
          { id: claimed, c: [{ stream: 'STDOUT', seq: 1, data: Buffer.from('mine\n').toString('base64') }] },
        );
        expect(e.code).toBe('FORBIDDEN');
      }),
  },
  {
    area: 'API',
    sent: 'completeJob for a job nobody claimed',
    expected: 'FORBIDDEN',
    check: () =>
      untouched(async () => {
        const e = await gqlError(
          runnerApi(world.runnerKey),
          'mutation ($id: UUID!, $o: [JobOutputInput!]!) { completeJob(jobId: $id, exitCode: 0, outputs: $o) { id } }',
          { id: pending, o: [{ iteration: 0, exitCode: 0, stdout: bmf('x', 1) }] },
        );
        expect(e.code).toBe('FORBIDDEN');
        const job = await world.admin.data<{ job: { status: string } }>(
          'query ($id: UUID!) { job(id: $id) { status } }',
          { id: pending },
        );
        expect(job.job.status).toBe('PENDING');
      }),
  },
  {
    area: 'API',
    sent: 'claimJob for a spec the runner does not serve',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(
          runnerApi(otherRunnerKey),
          'mutation ($s: [String!]) { claimJob(specs: $s, waitSeconds: 0) { job { id } } }',
          { s: [world.specs.open] },
        );
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/spec/);
      }),
  },
  {
    area: 'API',
    sent: 'a request with an expired token',
    expected: 'UNAUTHENTICATED',
    check: async () => {
      const token = await world.admin.data<{ createToken: { id: string; secret: string } }>(
        'mutation ($e: DateTime) { createToken(name: "soon-expired", expiresAt: $e) { id secret } }',
        { e: new Date(Date.now() + 3600_000).toISOString() },
      );
      await world.database.db
        .updateTable('api_token')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', token.createToken.id)
        .execute();
      await untouched(async () => {
        const e = await gqlError(
          graphqlClient(world.server.url, token.createToken.secret),
          '{ me { slug } }',
        );
        expect(e.code).toBe('UNAUTHENTICATED');
        expect(e.message).toMatch(/expired/);
      });
    },
  },
  {
    area: 'API',
    sent: 'a request with a revoked token',
    expected: 'UNAUTHENTICATED',
    check: async () => {
      const token = await world.admin.data<{ createToken: { id: string; secret: string } }>(
        'mutation { createToken(name: "revoked") { id secret } }',
      );
      await world.admin.data('mutation ($id: UUID!) { revokeToken(id: $id) }', { id: token.createToken.id });
      await untouched(async () => {
        const e = await gqlError(
          graphqlClient(world.server.url, token.createToken.secret),
          'mutation ($input: CreateRunInput!) { createRun(input: $input) { report { id } } }',
          { input: runInput({ results: [bmf('b', 1)] }, null) },
        );
        expect(e.code).toBe('UNAUTHENTICATED');
      });
    },
  },
  {
    area: 'API',
    sent: 'a cursor that is not one of ours',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(
          world.admin,
          'query ($p: String!, $a: String) { jobs(project: $p, first: 5, after: $a) { edges { node { id } } } }',
          { p: world.project, a: Buffer.from('["not", "ours"]').toString('base64url') },
        );
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/cursor/);
      }),
  },
  {
    area: 'API',
    sent: 'a page size of 10,000',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(
          world.admin,
          'query ($p: String!) { jobs(project: $p, first: 10000) { edges { node { id } } } }',
          { p: world.project },
        );
        expect(e.code).toBe('BAD_INPUT');
      }),
  },

  {
    area: 'API',
    sent: 'createRun with a NUL character in the testbed name',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({ testbed: 'bad\u0000bed', results: [bmf('b', 1)] }, null),
        });
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/\$input\.testbed.*NUL/);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with a NUL character in an env value',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({}, { env: ['GREETING=hel\u0000lo'] }),
        });
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/\$input\.job\.env.*NUL/);
      }),
  },
  {
    area: 'API',
    sent: 'signup with a NUL character in the name',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(
          graphqlClient(world.server.url, null),
          'mutation ($input: SignupInput!) { signup(input: $input) { secret } }',
          { input: { name: 'Eve\u0000', email: 'eve@example.com' } },
        );
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/\$input\.name.*NUL/);
      }),
  },
  {
    area: 'API',
    sent: 'createToken with a NUL character in the token name',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, 'mutation ($n: String!) { createToken(name: $n) { secret } }', {
          n: 'ci\u0000token',
        });
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/\$n.*NUL/);
      }),
  },
  {
    area: 'API',
    sent: 'a graphql-ws subscription with a NUL character in a variable',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const ws = graphqlClient(world.server.url, world.server.adminToken).ws();
        try {
          const errors = await new Promise<readonly { message: string; extensions?: { code?: string } }[]>(
            (resolve, reject) => {
              ws.subscribe(
                {
                  query: 'subscription ($p: String!) { projectJobs(project: $p) { id } }',
                  variables: { p: 'x\u0000y' },
                },
                {
                  next: (result) =>
                    result.errors ? resolve(result.errors as never) : reject(new Error('data')),
                  error: (error) => (Array.isArray(error) ? resolve(error) : reject(error)),
                  complete: () => reject(new Error('completed without an error')),
                },
              );
            },
          );
          expect(errors[0]?.extensions?.code).toBe('BAD_INPUT');
          expect(errors[0]?.message).toMatch(/\$p.*NUL/);
        } finally {
          await ws.dispose();
        }
      }),
  },
  {
    area: 'registry',
    sent: 'a /v2/token login whose password (token) holds a NUL character',
    expected: '401 UNAUTHORIZED, not a server error',
    check: () =>
      untouched(async () => {
        const res = await fetch(`${world.server.url}/v2/token?scope=repository:x/y:pull`, {
          headers: { authorization: `Basic ${Buffer.from('user:blu_\u0000guess').toString('base64')}` },
        });
        expect(res.status).toBe(401);
        expect(JSON.stringify(await res.json())).toMatch(/UNAUTHORIZED/);
      }),
  },
  {
    area: 'API',
    sent: 'a NUL character in a string literal of the query document',
    expected: 'BAD_INPUT',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, `query { project(slug: "x\u0000y") { id } }`);
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/query.*NUL/);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with BMF naming a benchmark "nul\\u0000name" (a JSON escape)',
    expected: 'PARSE_ERROR',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({ results: ['{"nul\\u0000name": {"latency": {"value": 1}}}'] }, null),
        });
        expect(e.code).toBe('PARSE_ERROR');
        expect(e.message).toMatch(/NUL/);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with BMF whose lower_value is above its upper_value',
    expected: 'PARSE_ERROR',
    check: () =>
      untouched(async () => {
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput(
            {
              results: [JSON.stringify({ b: { latency: { value: 5, lower_value: 9, upper_value: 1 } } })],
            },
            null,
          ),
        });
        expect(e.code).toBe('PARSE_ERROR');
        expect(e.message).toMatch(/lower_value 9 above its upper_value 1/);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with 10,001 benchmarks (limit 10,000)',
    expected: 'PARSE_ERROR',
    check: () =>
      untouched(async () => {
        const many = Object.fromEntries(
          Array.from({ length: 10_001 }, (_, i) => [`b${i}`, { latency: { value: i } }]),
        );
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({ results: [JSON.stringify(many)] }, null),
        });
        expect(e.code).toBe('PARSE_ERROR');
        expect(e.message).toMatch(/10001 benchmarks.*at most 10000/);
      }),
  },
  {
    area: 'API',
    sent: 'createRun with a benchmark of 17 measures (limit 16)',
    expected: 'PARSE_ERROR',
    check: () =>
      untouched(async () => {
        const measures = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`m${i}`, { value: i }]));
        const e = await gqlError(world.admin, CREATE_RUN, {
          input: runInput({ results: [JSON.stringify({ wide: measures })] }, null),
        });
        expect(e.code).toBe('PARSE_ERROR');
        expect(e.message).toMatch(/17 measures.*at most 16/);
      }),
  },
  {
    area: 'API',
    sent: 'completeJob naming iteration 5 of a one-iteration job',
    expected: 'BAD_INPUT, the job stays RUNNING',
    check: () =>
      untouched(async () => {
        const e = await gqlError(
          runnerApi(world.runnerKey),
          'mutation ($id: UUID!, $o: [JobOutputInput!]!) { completeJob(jobId: $id, exitCode: 0, outputs: $o) { id } }',
          { id: claimed, o: [{ iteration: 5, exitCode: 0, stdout: bmf('b', 1) }] },
        );
        expect(e.code).toBe('BAD_INPUT');
        expect(e.message).toMatch(/iteration 5/);
        const job = await world.database.db
          .selectFrom('job')
          .select('status')
          .where('id', '=', claimed)
          .executeTakeFirstOrThrow();
        expect(job.status).toBe('RUNNING');
      }),
  },

  // ───────────── registry (OCI error code) ─────────────
  {
    area: 'registry',
    sent: 'a manifest whose config is a layer',
    expected: 'MANIFEST_INVALID',
    check: () =>
      untouched(async () => {
        const layer = {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: sha256('a layer'),
          size: 7,
        };
        const manifest = JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: layer,
          layers: [layer],
        });
        const res = await registry(`/v2/${repo()}/manifests/v1`, {
          method: 'PUT',
          body: manifest,
          headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        });
        expect(res.status).toBe(400);
        expect(await ociCode(res)).toBe('MANIFEST_INVALID');
      }),
  },
  {
    area: 'registry',
    sent: 'a manifest referencing a blob never pushed',
    expected: 'MANIFEST_BLOB_UNKNOWN',
    check: () =>
      untouched(async () => {
        const manifest = JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: {
            mediaType: 'application/vnd.oci.image.config.v1+json',
            digest: sha256('no config'),
            size: 9,
          },
          layers: [],
        });
        const res = await registry(`/v2/${repo()}/manifests/v1`, {
          method: 'PUT',
          body: manifest,
          headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        });
        expect(res.status).toBe(400);
        expect(await ociCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
      }),
  },
  {
    area: 'registry',
    sent: 'a monolithic blob PUT whose bytes do not match its digest',
    expected: 'DIGEST_INVALID',
    check: () =>
      untouched(async () => {
        const res = await registry(`/v2/${repo()}/blobs/uploads/?digest=${sha256('claimed')}`, {
          method: 'POST',
          body: 'actual bytes',
        });
        expect(res.status).toBe(400);
        expect(await ociCode(res)).toBe('DIGEST_INVALID');
      }),
  },
  {
    area: 'registry',
    sent: 'a blob PUT completing an upload with a digest its bytes do not have',
    expected: 'DIGEST_INVALID',
    check: async () => {
      const start = await registry(`/v2/${repo()}/blobs/uploads/`, { method: 'POST' });
      const location = start.headers.get('location') ?? '';
      await untouched(async () => {
        const res = await registry(`${location}?digest=${sha256('claimed')}`, {
          method: 'PUT',
          body: 'actual',
        });
        expect(res.status).toBe(400);
        expect(await ociCode(res)).toBe('DIGEST_INVALID');
        const blob = await registry(`/v2/${repo()}/blobs/${sha256('claimed')}`, { method: 'HEAD' });
        expect(blob.status).toBe(404);
      });
      expect((await registry(location, { method: 'DELETE' })).status).toBe(204);
    },
  },
  {
    area: 'registry',
    sent: 'a repository name with upper case and underscores',
    expected: 'NAME_INVALID',
    check: () =>
      untouched(async () => {
        const res = await registry(`/v2/${world.project}/Bad_Name/blobs/uploads/`, { method: 'POST' });
        expect(await ociCode(res)).toBe('NAME_INVALID');
      }),
  },
  {
    area: 'registry',
    sent: 'a PATCH whose Content-Range does not start at the upload offset',
    expected: '416 BLOB_UPLOAD_INVALID',
    check: async () => {
      const start = await registry(`/v2/${repo()}/blobs/uploads/`, { method: 'POST' });
      expect(start.status).toBe(202);
      const location = start.headers.get('location') ?? '';
      await untouched(async () => {
        const res = await registry(location, {
          method: 'PATCH',
          body: 'x'.repeat(100),
          headers: { 'content-range': '500-599', 'content-type': 'application/octet-stream' },
        });
        expect(res.status).toBe(416);
        expect(await ociCode(res)).toBe('BLOB_UPLOAD_INVALID');
        expect(res.headers.get('range')).toBe('0-0');
      });
      expect((await registry(location, { method: 'DELETE' })).status).toBe(204);
    },
  },
  {
    area: 'registry',
    sent: 'a 5 MiB manifest',
    expected: '413 SIZE_INVALID',
    check: () =>
      untouched(async () => {
        const res = await registry(`/v2/${repo()}/manifests/huge`, {
          method: 'PUT',
          body: JSON.stringify({ schemaVersion: 2, annotations: { pad: 'x'.repeat(5 * 1024 * 1024) } }),
          headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        });
        expect(res.status).toBe(413);
        expect(await ociCode(res)).toBe('SIZE_INVALID');
      }),
  },
  {
    area: 'registry',
    sent: 'a push with no credentials',
    expected: '401 UNAUTHORIZED',
    check: () =>
      untouched(async () => {
        const res = await fetch(`${world.server.url}/v2/${repo()}/blobs/uploads/`, {
          method: 'POST',
        });
        expect(res.status).toBe(401);
        expect(await ociCode(res)).toBe('UNAUTHORIZED');
        expect(res.headers.get('www-authenticate')).toMatch(/Bearer realm=/);
      }),
  },

  // ───────────── runner (failJob reason) ─────────────
  {
    area: 'runner',
    sent: 'an image whose layer writes ../escaped',
    expected: 'FAILED IMAGE_ERROR',
    check: () => runnerRow([buildLayer(hostile.traversal('escaped'))], 'IMAGE_ERROR'),
  },
  {
    area: 'runner',
    sent: 'an image whose symlink climbs out of the rootfs',
    expected: 'FAILED IMAGE_ERROR',
    check: () => runnerRow([buildLayer(hostile.symlinkEscape(6))], 'IMAGE_ERROR'),
  },
  {
    area: 'runner',
    sent: 'a job whose output parses as nothing',
    expected: 'FAILED PROCESSING_ERROR',
    check: () => runnerRow([], 'PROCESSING_ERROR', 'echo "no numbers here"'),
  },
  {
    area: 'runner',
    sent: 'an image whose results file names a benchmark "nul\\u0000name"',
    expected: 'FAILED PROCESSING_ERROR, the runner takes the next job',
    check: async () => {
      const script = `printf '%s' '{"nul\\u0000name": {"latency": {"value": 1}}}' > /tmp/r.json`;
      const ref = await pushImage(runnerWorld, scriptLayers(`${script}\n`));
      const { jobId } = await submit(runnerWorld, {
        image: ref,
        spec: world.specs.open,
        filePaths: ['/tmp/r.json'],
      });
      const job = await waitForJob(runnerWorld, jobId);
      expect(job).toMatchObject({ status: 'FAILED', failureReason: 'PROCESSING_ERROR' });
      expect(job.failureMessage).toMatch(/NUL/);
      // The runner was answered and moved on: the next job is served.
      const next = await pushImage(runnerWorld, scriptLayers(`echo '${bmf('after-nul', 1)}'\n`));
      const after = await submit(runnerWorld, { image: next, spec: world.specs.open });
      expect(await waitForJob(runnerWorld, after.jobId)).toMatchObject({ status: 'PROCESSED' });
    },
  },

  // ───────────── CLI (exit code 1, error + hint) ─────────────
  {
    area: 'CLI',
    sent: '`benchline image push` of a tarball with a ../ path',
    expected: 'exit 1, hint',
    check: async () => {
      const dir = join(world.dir, 'evil-tarball');
      const layout = join(dir, 'layout');
      await buildOciImage({ dir: layout, layers: [buildLayer(busyboxEntries())], tag: 'v1' });
      const evil = `evil-${randomBytes(4).toString('hex')}`;
      await writeFile(join(dir, evil), 'escaped');
      const tarball = join(dir, 'evil.tar.gz');
      // node-tar keeps `../evil` as written when asked to preserve paths.
      await tar.c({ file: tarball, gzip: true, cwd: layout, preservePaths: true }, [
        'oci-layout',
        'index.json',
        'blobs',
        `../${evil}`,
      ]);
      await untouched(async () => {
        const { code, output } = await cli(['image', 'push', tarball, `${world.project}/evil:v1`]);
        expect(code).toBe(1);
        expect(output).toMatch(/error: .*(\.\.|path|travers)/i);
        expect(output).toMatch(/hint: /);
      });
      // Unpacked next to the CLI's temp dir, `../` would have landed here.
      expect(existsSync(join(tmpdir(), evil))).toBe(false);
    },
  },
  {
    area: 'CLI',
    sent: '`benchline run --iter 0`',
    expected: 'exit 1, hint',
    check: () =>
      untouched(async () => {
        const { code, output } = await cli(['run', '--project', world.project, '--iter', '0', 'echo hi']);
        expect(code).toBe(1);
        expect(output).toMatch(/error: .*--iter/);
        expect(output).toMatch(/hint: /);
      }),
  },
  {
    area: 'CLI',
    sent: '`benchline run --env NOEQUALS`',
    expected: 'exit 1, hint',
    check: () =>
      untouched(async () => {
        const { code, output } = await cli([
          'run',
          '--project',
          world.project,
          '--image',
          image,
          '--env',
          'NOEQUALS',
        ]);
        expect(code).toBe(1);
        expect(output).toMatch(/error: .*NOEQUALS/);
        expect(output).toMatch(/hint: .*K=V|hint: .*=/);
      }),
  },
  {
    area: 'CLI',
    sent: '`benchline run` against an unreachable host',
    expected: 'exit 1, hint',
    check: () =>
      untouched(async () => {
        const { code, output } = await cli(
          ['run', '--project', world.project, '--adapter', 'json', `echo '${bmf('x', 1)}'`],
          { BENCHLINE_HOST: 'http://127.0.0.1:9' },
        );
        expect(code).toBe(1);
        expect(output).toMatch(/error: .*127\.0\.0\.1:9/);
        expect(output).toMatch(/hint: .*(benchline server|--host|BENCHLINE_HOST)/);
      }),
  },
];

/** A job of the real runner that must fail with `reason`, leaving no log of the workload and no metrics. */
async function runnerRow(extraLayers: ReturnType<typeof buildLayer>[], reason: string, script = 'echo ran') {
  const [base, scriptLayer] = scriptLayers(`${script}\n`);
  const ref = await pushImage(runnerWorld, [base, ...extraLayers, scriptLayer]);
  const metricsBefore = (await snapshot()).rows.metric;
  const { jobId, reportId } = await submit(runnerWorld, { image: ref, spec: world.specs.open });
  const job = await waitForJob(runnerWorld, jobId);
  expect(job).toMatchObject({ status: 'FAILED', failureReason: reason });
  expect(job.failureMessage).toBeTruthy();
  if (reason === 'IMAGE_ERROR') expect((await storedLog(runnerWorld, jobId)).all.length).toBe(0);
  expect((await snapshot()).rows.metric).toBe(metricsBefore);
  const report = await world.admin.data<{ report: { results: unknown[] } }>(
    'query ($id: UUID!) { report(id: $id) { results { iteration } } }',
    { id: reportId },
  );
  expect(report.report.results).toEqual([]);
}

for (const row of rows) {
  describe(`${row.area.padEnd(8)} | ${row.sent} → ${row.expected}`, () => {
    it('gets that answer, and nothing is half-written', row.check);
  });
}

it('covers at least 25 bad inputs across API, registry, runner and CLI', () => {
  expect(rows.length).toBeGreaterThanOrEqual(25);
  expect(new Set(rows.map((r) => r.area))).toEqual(new Set(['API', 'registry', 'runner', 'CLI']));
});

// The setup's claimed job is not left in flight for the sweeper to find later.
afterAll(async () => {
  await runnerApi(world.runnerKey)
    .request(
      'mutation ($id: UUID!) { failJob(jobId: $id, reason: RUNNER_ERROR, message: "test over") { id } }',
      {
        id: claimed,
      },
    )
    .catch(() => {});
});
