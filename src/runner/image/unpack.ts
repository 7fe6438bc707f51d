import {
  closeSync,
  constants,
  createReadStream,
  fchmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { chmod, lstat, mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { Parser, type ReadEntry } from 'tar';
import { ImageError } from './errors.js';

export interface LayerSource {
  path: string;
  digest?: string;
  mediaType?: string;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

class ZstdDecompressor extends Transform {
  readonly #decompress = new Decompress((data) => {
    // fzstd may hand out views into its own window buffer; copy before passing downstream.
    this.push(Buffer.from(data));
  });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#decompress.push(chunk);
      callback();
    } catch (error) {
      callback(new ImageError('BAD_LAYER', `zstd: ${(error as Error).message}`, { cause: error }));
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.#decompress.push(new Uint8Array(0), true);
      callback();
    } catch (error) {
      callback(new ImageError('BAD_LAYER', `zstd: ${(error as Error).message}`, { cause: error }));
    }
  }
}

export type LayerCompression = 'gzip' | 'zstd' | 'none';

/** Media types lie often enough (and `+zstd` was bolted on late) that the magic bytes decide. */
export async function detectCompression(path: string): Promise<LayerCompression> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
    return 'none';
  } finally {
    await handle.close();
  }
}

function decompressor(kind: LayerCompression): Transform {
  if (kind === 'gzip') return createGunzip();
  if (kind === 'zstd') return new ZstdDecompressor();
  return new PassThrough();
}

/** Splits an archive path into safe components; `..` and absolute paths never reach the filesystem. */
export function safeComponents(raw: string, what = 'entry'): string[] {
  if (raw.includes('\0'))
    throw new ImageError('PATH_TRAVERSAL', `${what} path contains NUL: ${JSON.stringify(raw)}`);
  if (raw.startsWith('/')) throw new ImageError('PATH_TRAVERSAL', `${what} path is absolute: ${raw}`);
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new ImageError('PATH_TRAVERSAL', `${what} path climbs out: ${raw}`);
  return parts;
}

/** Resolves a link target lexically from the link's own directory, with the rootfs as `/`. */
export function symlinkEscapes(linkComponents: string[], target: string): boolean {
  const stack = target.startsWith('/') ? [] : linkComponents.slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 0) return true;
      stack.pop();
    } else {
      stack.push(part);
    }
  }
  return false;
}

interface UnpackState {
  rootfs: string;
  /** Directory modes are applied at the end so read-only directories do not block later entries. */
  dirModes: Map<string, number>;
}

class LayerUnpacker {
  /** Paths this layer has put in place; an opaque marker must only hide what lower layers left. */
  readonly #written = new Set<string>();

  constructor(readonly state: UnpackState) {}

  get rootfs(): string {
    return this.state.rootfs;
  }

  /**
   * Walks to the parent directory without ever following a symlink, creating missing directories. A
   * symlinked parent is refused outright: resolving it would be the classic way to write to the host.
   */
  #parent(components: string[], create: boolean): string | undefined {
    let current = this.rootfs;
    for (let i = 0; i < components.length - 1; i++) {
      current = join(current, components[i]);
      const info = lstatSync(current, { throwIfNoEntry: false });
      if (!info) {
        if (!create) return undefined;
        mkdirSync(current, { mode: 0o755 });
        continue;
      }
      if (info.isSymbolicLink()) {
        throw new ImageError(
          'WRITE_THROUGH_SYMLINK',
          `entry ${components.join('/')} goes through the symlink ${components.slice(0, i + 1).join('/')}`,
        );
      }
      if (!info.isDirectory()) {
        throw new ImageError('BAD_LAYER', `${components.slice(0, i + 1).join('/')} is not a directory`);
      }
    }
    return current;
  }

  #removeExisting(path: string, keepDirectory: boolean): boolean {
    const info = lstatSync(path, { throwIfNoEntry: false });
    if (!info) return false;
    if (info.isDirectory()) {
      if (keepDirectory) return true;
      rmSync(path, { recursive: true, force: true });
    } else {
      unlinkSync(path);
    }
    return false;
  }

  handle(entry: ReadEntry): void {
    const components = safeComponents(entry.path);
    if (components.length === 0) {
      entry.resume();
      return;
    }
    const name = components[components.length - 1];
    if (name === OPAQUE) {
      entry.resume();
      this.#opaque(components.slice(0, -1));
      return;
    }
    if (name.startsWith(WHITEOUT)) {
      entry.resume();
      this.#whiteout(components, name.slice(WHITEOUT.length));
      return;
    }
    const key = components.join('/');
    switch (entry.type) {
      case 'Directory': {
        entry.resume();
        this.#parent(components, true);
        const path = join(this.rootfs, ...components);
        if (!this.#removeExisting(path, true)) mkdirSync(path, { mode: 0o755 });
        this.state.dirModes.set(key, (entry.mode ?? 0o755) & 0o1777);
        break;
      }
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        this.#parent(components, true);
        this.#file(entry, join(this.rootfs, ...components));
        break;
      case 'SymbolicLink': {
        entry.resume();
        const target = entry.linkpath ?? '';
        if (!target || target.includes('\0'))
          throw new ImageError('BAD_LAYER', `symlink ${key} has no target`);
        if (symlinkEscapes(components, target)) {
          throw new ImageError('SYMLINK_ESCAPE', `symlink ${key} -> ${target} points outside the rootfs`);
        }
        this.#parent(components, true);
        const path = join(this.rootfs, ...components);
        this.#removeExisting(path, false);
        symlinkSync(target, path);
        break;
      }
      case 'Link': {
        entry.resume();
        this.#hardlink(components, entry.linkpath ?? '');
        break;
      }
      default:
        // Devices and FIFOs cannot be created unprivileged and benchmarks do not need them.
        entry.resume();
        return;
    }
    this.#written.add(key);
  }

  #file(entry: ReadEntry, path: string): void {
    this.#removeExisting(path, false);
    // O_EXCL + O_NOFOLLOW: whatever raced in at this name, the open fails instead of writing through it.
    const fd = openSync(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      closeSync(fd);
    };
    entry.on('data', (chunk: Buffer) => {
      let offset = 0;
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
    });
    entry.on('end', () => {
      // Set-id bits mean nothing to an unprivileged runner and only add risk.
      fchmodSync(fd, (entry.mode ?? 0o644) & 0o1777);
      close();
    });
    entry.on('error', close);
  }

  #hardlink(components: string[], linkpath: string): void {
    const key = components.join('/');
    let targetComponents: string[];
    try {
      targetComponents = safeComponents(linkpath, 'hardlink target');
    } catch (error) {
      throw new ImageError('HARDLINK_ESCAPE', `hardlink ${key} -> ${linkpath}: ${(error as Error).message}`);
    }
    if (targetComponents.length === 0)
      throw new ImageError('HARDLINK_ESCAPE', `hardlink ${key} targets the root`);
    let targetParent: string | undefined;
    try {
      targetParent = this.#parent(targetComponents, false);
    } catch (error) {
      throw new ImageError('HARDLINK_ESCAPE', `hardlink ${key} -> ${linkpath}: ${(error as Error).message}`);
    }
    const target = targetParent && join(targetParent, targetComponents[targetComponents.length - 1]);
    const info = target ? lstatSync(target, { throwIfNoEntry: false }) : undefined;
    if (!target || !info) throw new ImageError('BAD_LAYER', `hardlink ${key} -> ${linkpath}: target missing`);
    if (info.isDirectory())
      throw new ImageError('BAD_LAYER', `hardlink ${key} -> ${linkpath}: target is a directory`);
    if (targetComponents.join('/') === key) return;
    this.#parent(components, true);
    const path = join(this.rootfs, ...components);
    this.#removeExisting(path, false);
    // link(2) does not dereference a symlink target, so a link to a symlink stays a symlink.
    linkSync(target, path);
  }

  #whiteout(components: string[], hidden: string): void {
    if (!hidden || hidden === '.' || hidden === '..' || hidden.includes('/')) {
      throw new ImageError('PATH_TRAVERSAL', `bad whiteout ${components.join('/')}`);
    }
    const parent = this.#parent(components, false);
    if (!parent) return;
    rmSync(join(parent, hidden), { recursive: true, force: true });
  }

  #opaque(dirComponents: string[]): void {
    const dir = this.#parent([...dirComponents, OPAQUE], true)!;
    this.#clearLower(dir, dirComponents.join('/'));
  }

  #clearLower(dir: string, key: string): void {
    const info = lstatSync(dir, { throwIfNoEntry: false });
    if (!info?.isDirectory()) return;
    for (const child of readdirSync(dir)) {
      const childKey = key ? `${key}/${child}` : child;
      const childPath = join(dir, child);
      if (!this.#written.has(childKey)) {
        rmSync(childPath, { recursive: true, force: true });
      } else if (lstatSync(childPath).isDirectory()) {
        this.#clearLower(childPath, childKey);
      }
    }
  }
}

async function feed(source: Readable, parser: Parser, failed: () => Error | undefined): Promise<void> {
  for await (const chunk of source) {
    if (failed()) break;
    if (!parser.write(chunk as Buffer)) {
      await new Promise<void>((resolve) => {
        parser.once('drain', resolve);
        parser.once('error', () => resolve());
      });
    }
    if (failed()) break;
  }
}

async function unpackLayer(layer: LayerSource, state: UnpackState): Promise<void> {
  const unpacker = new LayerUnpacker(state);
  let failure: Error | undefined;
  const fail = (error: unknown) => {
    failure ??=
      error instanceof ImageError
        ? error
        : new ImageError('BAD_LAYER', `layer ${layer.digest ?? layer.path}: ${(error as Error).message}`, {
            cause: error,
          });
  };
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    if (failure) {
      entry.resume();
      return;
    }
    try {
      unpacker.handle(entry);
    } catch (error) {
      fail(error);
      entry.resume();
    }
  });
  parser.on('warn', (code: string, message: string | Error) => {
    if (code !== 'TAR_ENTRY_INFO') fail(new Error(`${code}: ${String(message)}`));
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (error: Error) => {
      fail(error);
      resolve();
    });
    parser.on('abort', () => resolve());
  });

  const compression = await detectCompression(layer.path);
  const file = createReadStream(layer.path);
  const decompressed = file.pipe(decompressor(compression));
  file.on('error', (error) => decompressed.destroy(error));
  try {
    await feed(decompressed, parser, () => failure);
  } catch (error) {
    fail(error);
  }
  if (failure) {
    decompressed.destroy();
    file.destroy();
    throw failure;
  }
  parser.end();
  await ended;
  if (failure) throw failure;
}

/** chmod follows symlinks, so every component must still be a real directory by the time modes are set. */
async function isRealDirectory(rootfs: string, key: string): Promise<boolean> {
  let current = rootfs;
  for (const part of key.split('/')) {
    current = join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isDirectory()) return false;
  }
  return true;
}

/**
 * Unpacks layers in order into a fresh `rootfs`. On any failure the partial rootfs is removed, so the
 * caller never runs a half-applied or rejected image.
 */
export async function unpackImage(layers: LayerSource[], rootfs: string): Promise<void> {
  await mkdir(rootfs, { recursive: true, mode: 0o755 });
  const state: UnpackState = { rootfs, dirModes: new Map() };
  try {
    for (const layer of layers) await unpackLayer(layer, state);
    for (const [key, mode] of state.dirModes) {
      // Owner rwx stays so the runner can always clean the rootfs up again.
      if (await isRealDirectory(rootfs, key)) await chmod(join(rootfs, key), mode | 0o700);
    }
  } catch (error) {
    await rm(rootfs, { recursive: true, force: true });
    throw error;
  }
}
