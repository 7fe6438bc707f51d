import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildLayer,
  type Compression,
  hostile,
  type LayerEntry,
  opaque,
  whiteout,
} from '../../../test/helpers/oci-image.js';
import { ImageError } from './errors.js';
import { detectCompression, symlinkEscapes, unpackImage } from './unpack.js';

let dir: string;
let rootfs: string;
let outside: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'benchline-unpack-'));
  rootfs = join(dir, 'work', 'rootfs');
  outside = join(dir, 'outside');
  await mkdir(outside);
  await mkdir(join(dir, 'work'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function layerFile(entries: LayerEntry[], compression: Compression = 'gzip') {
  const layer = buildLayer(entries, compression);
  const path = join(dir, `layer-${counter++}`);
  await writeFile(path, layer.blob);
  return { path, digest: layer.digest };
}

async function unpack(...layers: LayerEntry[][]) {
  const sources = [];
  for (const entries of layers) sources.push(await layerFile(entries));
  await unpackImage(sources, rootfs);
}

async function expectRefused(layers: LayerEntry[][], reason: string) {
  const error = await unpack(...layers).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageError);
  expect((error as ImageError).code).toBe('IMAGE_ERROR');
  expect((error as ImageError).reason).toBe(reason);
  // Nothing outside the rootfs, and the rejected rootfs itself is gone.
  expect(await readdir(outside)).toEqual([]);
  expect(await readdir(join(dir, 'work'))).toEqual([]);
  expect(existsSync(join(dir, 'x'))).toBe(false);
}

const basic: LayerEntry[] = [
  { type: 'dir', path: 'usr/' },
  { type: 'dir', path: 'usr/bin/' },
  { type: 'file', path: 'usr/bin/tool', content: '#!/bin/sh\necho hi\n', mode: 0o755 },
  { type: 'file', path: 'etc/config', content: 'a=1\n', mode: 0o600 },
  { type: 'symlink', path: 'bin', target: 'usr/bin' },
  { type: 'symlink', path: 'etc/abs', target: '/usr/bin/tool' },
  { type: 'hardlink', path: 'usr/bin/tool2', target: 'usr/bin/tool' },
];

describe('unpackImage', () => {
  it.each<Compression>(['gzip', 'zstd', 'none'])(
    'unpacks a %s layer with modes and links',
    async (compression) => {
      const layer = await layerFile(basic, compression);
      expect(await detectCompression(layer.path)).toBe(compression);
      await unpackImage([layer], rootfs);
      expect(readFileSync(join(rootfs, 'usr/bin/tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
      expect(statSync(join(rootfs, 'usr/bin/tool')).mode & 0o777).toBe(0o755);
      expect(statSync(join(rootfs, 'etc/config')).mode & 0o777).toBe(0o600);
      expect(readlinkSync(join(rootfs, 'bin'))).toBe('usr/bin');
      expect(readlinkSync(join(rootfs, 'etc/abs'))).toBe('/usr/bin/tool');
      expect(statSync(join(rootfs, 'usr/bin/tool2')).ino).toBe(statSync(join(rootfs, 'usr/bin/tool')).ino);
    },
  );

  it('unpacks a large zstd file intact', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const layer = await layerFile([{ type: 'file', path: 'big.bin', content: big }], 'zstd');
    await unpackImage([layer], rootfs);
    expect(readFileSync(join(rootfs, 'big.bin')).equals(big)).toBe(true);
  });

  it('applies layers in order, whiteouts and opaque directories', async () => {
    await unpack(
      [
        { type: 'file', path: 'a/keep', content: '1' },
        { type: 'file', path: 'a/gone', content: '1' },
        { type: 'dir', path: 'a/sub/' },
        { type: 'file', path: 'a/sub/deep', content: '1' },
        { type: 'file', path: 'o/lower1', content: '1' },
        { type: 'dir', path: 'o/lowerdir/' },
        { type: 'file', path: 'o/lowerdir/f', content: '1' },
        { type: 'file', path: 'replaced', content: 'old' },
        { type: 'dir', path: 'dir-then-file/' },
        { type: 'file', path: 'dir-then-file/x', content: '1' },
      ],
      [
        whiteout('a', 'gone'),
        whiteout('a', 'sub'),
        whiteout('', 'nonexistent'),
        { type: 'dir', path: 'o/' },
        { type: 'file', path: 'o/before-marker', content: 'new' },
        opaque('o'),
        { type: 'file', path: 'o/after-marker', content: 'new' },
        { type: 'file', path: 'replaced', content: 'new' },
        { type: 'file', path: 'dir-then-file', content: 'now a file' },
      ],
    );
    expect((await readdir(join(rootfs, 'a'))).sort()).toEqual(['keep']);
    expect((await readdir(join(rootfs, 'o'))).sort()).toEqual(['after-marker', 'before-marker']);
    expect(readFileSync(join(rootfs, 'replaced'), 'utf8')).toBe('new');
    expect(readFileSync(join(rootfs, 'dir-then-file'), 'utf8')).toBe('now a file');
    expect(existsSync(join(rootfs, '.wh.nonexistent'))).toBe(false);
  });

  it('replaces a symlink by a file instead of writing through it', async () => {
    const hostFile = join(outside, 'victim');
    await writeFile(hostFile, 'host');
    await unpack(
      [{ type: 'symlink', path: 'f', target: hostFile }],
      [{ type: 'file', path: 'f', content: 'image' }],
    );
    expect(readFileSync(hostFile, 'utf8')).toBe('host');
    expect(lstatSync(join(rootfs, 'f')).isFile()).toBe(true);
    await rm(hostFile);
  });

  it('keeps directory modes but leaves them owner-writable', async () => {
    await unpack([
      { type: 'dir', path: 'ro/', mode: 0o555 },
      { type: 'file', path: 'ro/f', content: 'x' },
    ]);
    expect(statSync(join(rootfs, 'ro')).mode & 0o777).toBe(0o755);
  });

  describe('refuses hostile layers', () => {
    it('path traversal', async () => {
      await expectRefused([hostile.traversal()], 'PATH_TRAVERSAL');
      await expectRefused([hostile.nestedTraversal()], 'PATH_TRAVERSAL');
    });

    it('absolute paths', async () => {
      await expectRefused([hostile.absolutePath(join(outside, 'abs'))], 'PATH_TRAVERSAL');
    });

    it('relative symlinks escaping the rootfs', async () => {
      await expectRefused([hostile.symlinkEscape()], 'SYMLINK_ESCAPE');
    });

    it('absolute symlinks escaping via ..', async () => {
      await expectRefused([hostile.absoluteSymlinkEscape()], 'SYMLINK_ESCAPE');
    });

    it('writing through a symlink, in the same layer and across layers', async () => {
      await expectRefused([hostile.writeThroughSymlink(outside)], 'WRITE_THROUGH_SYMLINK');
      await expectRefused(
        [
          [{ type: 'symlink', path: 'link', target: outside }],
          [{ type: 'file', path: 'link/pwned', content: 'x' }],
        ],
        'WRITE_THROUGH_SYMLINK',
      );
      await expectRefused(
        [[{ type: 'symlink', path: 'link', target: outside }], [{ type: 'dir', path: 'link/sub/' }]],
        'WRITE_THROUGH_SYMLINK',
      );
    });

    it('hardlinks escaping', async () => {
      await expectRefused([hostile.hardlinkEscape()], 'HARDLINK_ESCAPE');
      await expectRefused([hostile.hardlinkEscape('/etc/passwd')], 'HARDLINK_ESCAPE');
      const hostFile = join(outside, 'secret');
      await writeFile(hostFile, 'secret');
      const error = await unpack(hostile.hardlinkThroughSymlink(hostFile)).catch((e: unknown) => e);
      expect((error as ImageError).reason).toBe('HARDLINK_ESCAPE');
      expect(statSync(hostFile).nlink).toBe(1);
      await rm(hostFile);
    });

    it('whiteouts naming ..', async () => {
      await expectRefused([[{ type: 'file', path: 'a/.wh...' }]], 'PATH_TRAVERSAL');
    });
  });

  it('symlinkEscapes resolves from the link location', () => {
    expect(symlinkEscapes(['a', 'b', 'l'], '../../x')).toBe(false);
    expect(symlinkEscapes(['a', 'b', 'l'], '../../../x')).toBe(true);
    expect(symlinkEscapes(['l'], '/etc/passwd')).toBe(false);
    expect(symlinkEscapes(['a', 'l'], '/../x')).toBe(true);
    expect(symlinkEscapes(['a', 'l'], './x/../../y')).toBe(false);
  });
});
