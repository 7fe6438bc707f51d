import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';
import type { BlobStore } from '../../src/server/registry/blob-store.js';
import type { RegistryLimits } from '../../src/server/registry/context.js';
import { type RegistryExtension, registryExtension } from '../../src/server/registry/extension.js';
import { openTestBlobStore } from '../helpers/blob-store.js';
import { type BuiltImage, buildLayer, buildOciImage, busyboxEntries } from '../helpers/oci-image.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

export const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export interface RegistryFixture {
  server: TestServer;
  registry: RegistryExtension;
  blobDir: string;
  /** The disk under blobDir, or object storage under TEST_BLOB_STORE=s3 (test/helpers/blob-store.ts). */
  store: BlobStore;
  /** host:port of the registry, as in image references. */
  host: string;
  tokens: { admin: string; member: string; viewer: string; outsider: string };
  /** Projects: `pub` (public) and `priv` (private), both in organization `acme`. */
  projects: { pub: string; priv: string };
  projectIds: { pub: string; priv: string };
}

/** A server with the registry mounted, an organization with a public and a private project, and four users. */
export async function startRegistryFixture(
  prefix: string,
  limits: Partial<RegistryLimits> = {},
  /** Which store (test/helpers/blob-store.ts); TEST_BLOB_STORE's by default. */
  storeKind?: string,
): Promise<RegistryFixture> {
  const blobDir = await mkdtemp(join(tmpdir(), 'benchline-registry-'));
  afterAll(() => rm(blobDir, { recursive: true, force: true }));
  const store = await openTestBlobStore(blobDir, storeKind);
  const registry = registryExtension({ blobDir, limits, store });
  const server = await startTestServer({ extensions: [registry] });
  const admin = server.client(server.adminToken);
  await admin.data(`mutation { createOrganization(name: "acme ${prefix}", slug: "acme-${prefix}") { id } }`);
  const projects: Record<string, string> = {};
  for (const [key, visibility] of [
    ['pub', 'PUBLIC'],
    ['priv', 'PRIVATE'],
  ] as const) {
    const slug = `${prefix}-${key}`;
    const data = await admin.data(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
      { input: { organization: `acme-${prefix}`, name: slug, slug, visibility } },
    );
    projects[key] = data.createProject.id;
  }
  const tokens: Record<string, string> = { admin: server.adminToken };
  for (const [user, role] of [
    ['member', 'MEMBER'],
    ['viewer', 'VIEWER'],
    ['outsider', null],
  ] as const) {
    const slug = `${prefix}-${user}`;
    const data = await server
      .client()
      .data(`mutation($input: SignupInput!) { signup(input: $input) { secret } }`, {
        input: { name: slug, slug },
      });
    tokens[user] = data.signup.secret;
    if (role) {
      await admin.data(
        `mutation { setMembership(organization: "acme-${prefix}", user: "${slug}", role: ${role}) }`,
      );
    }
  }
  return {
    server,
    registry,
    blobDir,
    store,
    host: new URL(server.url).host,
    tokens: tokens as RegistryFixture['tokens'],
    projects: { pub: `${prefix}-pub`, priv: `${prefix}-priv` },
    projectIds: projects as RegistryFixture['projectIds'],
  };
}

export interface ClientSuite {
  /** The suite's scratch directory, removed after the file; skopeo's HOME. */
  dir: string;
  /** busybox and /bench/run.sh, two gzip layers, as an OCI layout tagged v1 under `dir`. */
  image: BuiltImage;
  skopeo(...args: string[]): Promise<{ stdout: string; stderr: string }>;
}

const execFileAsync = promisify(execFile);

/**
 * What the suites driving real registry clients share: an image to push and skopeo to push it
 * with. skopeo keeps a blob-location cache under HOME; the suite's own keeps runs independent.
 */
export async function clientSuite(prefix: string): Promise<ClientSuite> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const image = await buildOciImage({
    dir: join(dir, 'source'),
    tag: 'v1',
    layers: [
      buildLayer(busyboxEntries(), 'gzip'),
      buildLayer([{ type: 'file', path: 'bench/run.sh', content: 'echo bench\n', mode: 0o755 }], 'gzip'),
    ],
    config: { Entrypoint: ['/bin/sh'], Cmd: ['/bench/run.sh'], Env: ['PATH=/bin'] },
  });
  const skopeo = (...args: string[]) =>
    execFileAsync('skopeo', ['--insecure-policy', ...args], {
      env: { ...process.env, HOME: dir },
      maxBuffer: 1 << 24,
    });
  return { dir, image, skopeo };
}
