import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import { buildImage } from '../../src/cli/image/build.js';
import { silentProgress } from '../../src/cli/image/progress.js';
import { pushImage } from '../../src/cli/image/push.js';
import { parsePushTarget } from '../../src/cli/image/reference.js';
import { openImageSource } from '../../src/cli/image/source.js';
import { CLI_ARGV } from '../helpers/cli-argv.js';
import {
  type BuiltImage,
  buildLayer,
  buildOciImage,
  buildTar,
  busyboxEntries,
} from '../helpers/oci-image.js';
import { sha256, startRegistryFixture } from './fixtures.js';

const run = promisify(execFile);
const f = await startRegistryFixture('cli');
let dir: string;
let busybox: BuiltImage;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'benchline-image-cli-'));
  busybox = await buildOciImage({
    dir: join(dir, 'busybox'),
    tag: 'base',
    layers: [buildLayer(busyboxEntries(), 'gzip')],
  });
  const bench = join(dir, 'bench');
  await mkdir(join(bench, 'data', 'nested'), { recursive: true });
  await writeFile(join(bench, 'run.sh'), '#!/bin/sh\necho "bench 42"\n', { mode: 0o755 });
  await writeFile(join(bench, 'data', 'nested', 'input.txt'), 'x'.repeat(3000));
  await writeFile(join(bench, 'data', `${'long-name-'.repeat(12)}.txt`), 'long');
  await symlink('run.sh', join(bench, 'start'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const target = (name: string) => parsePushTarget(name, f.server.url);

async function manifestDigest(repo: string, tag: string): Promise<string | null> {
  const res = await fetch(`${f.server.url}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { authorization: `Bearer ${f.tokens.member}` },
  });
  return res.status === 200 ? res.headers.get('docker-content-digest') : null;
}

async function cli(...args: string[]) {
  return run(process.execPath, [...CLI_ARGV, ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: {
      ...process.env,
      BENCHLINE_HOST: f.server.url,
      BENCHLINE_TOKEN: f.tokens.member,
      XDG_CONFIG_HOME: dir,
    },
  });
}

describe('image build', () => {
  it('builds the same digest twice, from the same directory', async () => {
    const options = {
      dir: join(dir, 'bench'),
      prefix: '/bench',
      entrypoint: ['/bin/sh', '/bench/run.sh'],
      env: ['MODE=fast'],
      base: busybox.dir,
      tag: 'v1',
    };
    const first = await buildImage({ ...options, output: join(dir, 'out1') });
    const second = await buildImage({ ...options, output: join(dir, 'out2') });
    expect(second.manifestDigest).toBe(first.manifestDigest);
    expect(second.layerDigest).toBe(first.layerDigest);
    const manifest = JSON.parse(
      await readFile(join(dir, 'out1', 'blobs', 'sha256', first.manifestDigest.slice(7)), 'utf8'),
    );
    expect(manifest.layers[0].digest).toBe(busybox.layers[0].digest);
    const config = JSON.parse(
      await readFile(join(dir, 'out1', 'blobs', 'sha256', manifest.config.digest.slice(7)), 'utf8'),
    );
    expect(config.config.Entrypoint).toEqual(['/bin/sh', '/bench/run.sh']);
    expect(config.config.Env).toContain('MODE=fast');
    expect(config.rootfs.diff_ids).toHaveLength(2);
    // The layer holds sorted entries owned by 0:0 with mtime 0.
    const names: string[] = [];
    await tar.t({
      file: join(dir, 'out1', 'blobs', 'sha256', first.layerDigest.slice(7)),
      onReadEntry: (entry) => {
        expect([entry.uid, entry.gid, entry.mtime?.getTime()]).toEqual([0, 0, 0]);
        names.push(entry.path);
      },
    });
    expect(names).toEqual([
      'bench/',
      'bench/data/',
      'bench/data/long-name-long-name-long-name-long-name-long-name-long-name-long-name-long-name-long-name-long-name-long-name-long-name-.txt',
      'bench/data/nested/',
      'bench/data/nested/input.txt',
      'bench/run.sh',
      'bench/start',
    ]);
  });

  it('pushes a build through the CLI, and the image runs its entrypoint under umoci', async () => {
    const repo = `${f.projects.pub}/built`;
    const { stdout, stderr } = await cli(
      'image',
      'build',
      join(dir, 'bench'),
      `${repo}:v1`,
      '--base',
      busybox.dir,
      '--path',
      '/bench',
      '--entrypoint',
      '["/bin/sh","/bench/run.sh"]',
    );
    const digest = await manifestDigest(repo, 'v1');
    expect(stdout.trim()).toBe(`${f.host}/${repo}:v1@${digest}`);
    expect(stderr).toMatch(/pushed/);
    const out = join(dir, 'pulled-built');
    await run('skopeo', [
      '--insecure-policy',
      'copy',
      '--src-tls-verify=false',
      `docker://${f.host}/${repo}:v1`,
      `oci:${out}:v1`,
    ]);
    await run('umoci', ['unpack', '--rootless', '--image', `${out}:v1`, join(dir, 'bundle')]);
    expect(await readFile(join(dir, 'bundle', 'rootfs', 'bench', 'run.sh'), 'utf8')).toContain('bench 42');
  });
});

describe('image push', () => {
  it('pushes an OCI layout directory through the CLI, then skips blobs the registry has', async () => {
    const repo = `${f.projects.pub}/layout`;
    const { stdout, stderr } = await cli('image', 'push', busybox.dir, `${repo}:v1`);
    expect(stdout.trim()).toBe(`${f.host}/${repo}:v1@${busybox.manifestDigest}`);
    expect(stderr).toMatch(/uploading/);
    const again = await pushImage(await openImageSource(busybox.dir), {
      target: target(`${repo}:v2`),
      token: f.tokens.member,
      progress: silentProgress,
    });
    expect(again).toMatchObject({ digest: busybox.manifestDigest, pushed: 0, skipped: 2 });
  });

  it('pushes an OCI archive and a docker save tarball', async () => {
    const archive = join(dir, 'oci.tar');
    await tar.c({ file: archive, cwd: busybox.dir }, ['oci-layout', 'index.json', 'blobs']);
    const fromArchive = await pushImage(await openImageSource(archive), {
      target: target(`${f.projects.pub}/archive:v1`),
      token: f.tokens.member,
      progress: silentProgress,
    });
    expect(fromArchive.digest).toBe(busybox.manifestDigest);
    expect(await manifestDigest(`${f.projects.pub}/archive`, 'v1')).toBe(busybox.manifestDigest);

    const save = join(dir, 'save');
    const layer = buildTar(busyboxEntries());
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
      }),
    );
    await mkdir(join(save, 'abc'), { recursive: true });
    await writeFile(join(save, 'abc', 'layer.tar'), layer);
    await writeFile(join(save, `${sha256(config).slice(7)}.json`), config);
    await writeFile(
      join(save, 'manifest.json'),
      JSON.stringify([
        { Config: `${sha256(config).slice(7)}.json`, RepoTags: ['bench:v1'], Layers: ['abc/layer.tar'] },
      ]),
    );
    const tarball = join(dir, 'docker-save.tar');
    await tar.c({ file: tarball, cwd: save }, ['manifest.json', `${sha256(config).slice(7)}.json`, 'abc']);
    const source = await openImageSource(tarball);
    const fromSave = await pushImage(source, {
      target: target(`${f.projects.pub}/saved:v1`),
      token: f.tokens.member,
      progress: silentProgress,
    });
    expect(fromSave.digest).toBe(source.root.digest);
    const manifest = await fetch(`${f.server.url}/v2/${f.projects.pub}/saved/manifests/v1`).then((r) =>
      r.json(),
    );
    expect(manifest.layers[0].digest).toBe(sha256(layer));
    expect(manifest.config.digest).toBe(sha256(config));
  });

  it('resumes a chunked upload from the server’s offset after a lost response', async () => {
    let patches = 0;
    const flaky: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      // The third chunk reaches the server but its answer is lost.
      if (init?.method === 'PATCH' && ++patches === 3) throw new TypeError('socket hang up');
      return response;
    };
    const image = await buildOciImage({
      dir: join(dir, 'random'),
      tag: 'v1',
      layers: [buildLayer([{ type: 'file', path: 'blob.bin', content: Buffer.alloc(300_000, 7) }], 'none')],
    });
    const result = await pushImage(await openImageSource(image.dir), {
      target: target(`${f.projects.pub}/chunks:v1`),
      token: f.tokens.member,
      progress: silentProgress,
      chunkSize: 64 * 1024,
      concurrency: 1,
      fetch: flaky,
      retryDelayMs: 1,
    });
    expect(patches).toBeGreaterThan(5);
    expect(result.digest).toBe(image.manifestDigest);
    const blob = await fetch(`${f.server.url}/v2/${f.projects.pub}/chunks/blobs/${image.layers[0].digest}`);
    expect(sha256(Buffer.from(await blob.arrayBuffer()))).toBe(image.layers[0].digest);
  });

  it('says what to do when the push is refused', async () => {
    const source = await openImageSource(busybox.dir);
    const attempt = (name: string, token: string | null) =>
      pushImage(source, { target: target(name), token, progress: silentProgress }).then(
        (): CliError => new CliError('the push succeeded'),
        (e: unknown) => e as CliError,
      );
    const anonymous = await attempt(`${f.projects.pub}/refused:v1`, null);
    expect(anonymous).toBeInstanceOf(CliError);
    expect(anonymous.code).toBe('UNAUTHORIZED');
    expect(anonymous.hint).toMatch(/--token|BENCHLINE_TOKEN/);
    const viewer = await attempt(`${f.projects.pub}/refused:v1`, f.tokens.viewer);
    expect(viewer.code).toBe('DENIED');
    const unknown = await attempt('no-such-project/x:v1', f.tokens.member);
    expect(unknown.code).toBe('NAME_UNKNOWN');
    expect(unknown.hint).toMatch(/project/);
  });
});
