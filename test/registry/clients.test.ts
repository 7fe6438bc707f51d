import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { clientSuite, sha256, startRegistryFixture } from './fixtures.js';

const run = promisify(execFile);
const f = await startRegistryFixture('clients');
const { dir, image, skopeo } = await clientSuite('benchline-skopeo-');

async function skopeoFails(...args: string[]): Promise<string> {
  try {
    await skopeo(...args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error(`skopeo ${args.join(' ')} succeeded`);
}

const ref = (repo: string, tag: string) => `docker://${f.host}/${repo}:${tag}`;

describe('skopeo and umoci against the registry', () => {
  it('copies an image in with credentials and back out anonymously; digests match the source', async () => {
    const repo = `${f.projects.pub}/busybox`;
    await skopeo(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      `x:${f.tokens.member}`,
      `oci:${image.dir}:v1`,
      ref(repo, 'v1'),
    );
    const { stdout: raw } = await skopeo('inspect', '--raw', '--tls-verify=false', ref(repo, 'v1'));
    expect(sha256(raw)).toBe(image.manifestDigest);
    const { stdout: inspect } = await skopeo('inspect', '--tls-verify=false', ref(repo, 'v1'));
    expect(JSON.parse(inspect).Digest).toBe(image.manifestDigest);

    const out = join(dir, 'pulled');
    await skopeo('copy', '--src-tls-verify=false', ref(repo, 'v1'), `oci:${out}:v1`);
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
    expect(index.manifests[0].digest).toBe(image.manifestDigest);
    for (const layer of image.layers) {
      const blob = await readFile(join(out, 'blobs', 'sha256', layer.digest.slice(7)));
      expect(sha256(blob)).toBe(layer.digest);
    }

    const bundle = join(dir, 'bundle');
    await run('umoci', ['unpack', '--rootless', '--image', `${out}:v1`, bundle]);
    expect((await stat(join(bundle, 'rootfs', 'bin', 'busybox'))).size).toBeGreaterThan(100_000);
    expect(await readFile(join(bundle, 'rootfs', 'bench', 'run.sh'), 'utf8')).toBe('echo bench\n');
    const runtime = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8'));
    expect(runtime.process.args).toEqual(['/bin/sh', '/bench/run.sh']);
  });

  it('copies between repositories (mounting blobs) and to a second tag', async () => {
    const creds = [
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      '--dest-creds',
      `x:${f.tokens.member}`,
    ];
    await skopeo(
      'copy',
      ...creds,
      ref(`${f.projects.pub}/busybox`, 'v1'),
      ref(`${f.projects.pub}/copy`, 'v2'),
    );
    const { stdout } = await skopeo(
      'inspect',
      '--raw',
      '--tls-verify=false',
      ref(`${f.projects.pub}/copy`, 'v2'),
    );
    expect(sha256(stdout)).toBe(image.manifestDigest);
    const { stdout: tags } = await skopeo(
      'list-tags',
      '--tls-verify=false',
      `docker://${f.host}/${f.projects.pub}/copy`,
    );
    expect(JSON.parse(tags).Tags).toEqual(['v2']);
  });

  it('refuses a push without credentials or with a viewer token', async () => {
    const anonymous = await skopeoFails(
      'copy',
      '--dest-tls-verify=false',
      `oci:${image.dir}:v1`,
      ref(`${f.projects.pub}/anon`, 'v1'),
    );
    expect(anonymous).toMatch(/unauthorized|authentication required/i);
    const viewer = await skopeoFails(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      `x:${f.tokens.viewer}`,
      `oci:${image.dir}:v1`,
      ref(`${f.projects.pub}/anon`, 'v1'),
    );
    expect(viewer).toMatch(/unauthorized|denied|authentication required/i);
    const badToken = await skopeoFails(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      'x:blu_wrong',
      `oci:${image.dir}:v1`,
      ref(`${f.projects.pub}/anon`, 'v1'),
    );
    expect(badToken).toMatch(/unauthorized|invalid/i);
  });

  it('serves a private project only to readers', async () => {
    const repo = `${f.projects.priv}/busybox`;
    await skopeo(
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      `x:${f.tokens.member}`,
      `oci:${image.dir}:v1`,
      ref(repo, 'v1'),
    );
    expect(await skopeoFails('inspect', '--raw', '--tls-verify=false', ref(repo, 'v1'))).toMatch(
      /unauthorized|authentication required/i,
    );
    await skopeoFails(
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      `x:${f.tokens.outsider}`,
      ref(repo, 'v1'),
    );
    const { stdout } = await skopeo(
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      `x:${f.tokens.viewer}`,
      ref(repo, 'v1'),
    );
    expect(sha256(stdout)).toBe(image.manifestDigest);
  });
});
