import { constants, lstatSync, mkdirSync, readlinkSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DEFAULT_FILE_LIMITS, type FileLimits, OutputFileError } from './executor.js';

/** Where a sandbox path prefix lives on the host; the longest matching prefix wins. */
export interface Mount {
  sandboxPath: string;
  hostPath: string;
}

const MAX_LINKS = 40;

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

function hostFor(mounts: Mount[], components: string[]): string {
  let best: Mount | undefined;
  let bestLength = -1;
  for (const mount of mounts) {
    const prefix = split(mount.sandboxPath);
    if (prefix.length > components.length || prefix.length <= bestLength) continue;
    if (prefix.every((p, i) => components[i] === p)) {
      best = mount;
      bestLength = prefix.length;
    }
  }
  if (!best) throw new Error('no mount covers /');
  return join(best.hostPath, ...components.slice(bestLength));
}

/**
 * Resolves a path the way the sandboxed kernel would (symlinks followed relative to the sandbox root,
 * `..` stopping at `/`), returning a host path with no symlink left in it, so reading it cannot leave
 * the sandbox's own files however the workload arranged its links.
 */
export function resolveInSandbox(mounts: Mount[], path: string, cwd = '/'): string {
  const pending = split(posix.isAbsolute(path) ? path : posix.join(cwd, path));
  const stack: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      stack.pop();
      continue;
    }
    const host = hostFor(mounts, [...stack, part]);
    const info = lstatSync(host, { throwIfNoEntry: false });
    if (info?.isSymbolicLink()) {
      if (++links > MAX_LINKS)
        throw new OutputFileError('BAD_PATH', path, `too many symlinks resolving ${path}`);
      const target = readlinkSync(host);
      if (target.startsWith('/')) stack.length = 0;
      pending.unshift(...split(target));
      continue;
    }
    stack.push(part);
  }
  return hostFor(mounts, stack);
}

/**
 * Creates a directory (and parents) inside a rootfs, resolving symlinks within it, never on the host.
 * Synchronous like resolveInSandbox: a few local lstat calls, which a round trip through the thread pool
 * per call would make slower (it runs before every sandboxed run).
 */
export function ensureDirectoryInRoot(rootfs: string, path: string): string {
  const mounts = [{ sandboxPath: '/', hostPath: rootfs }];
  const components = split(path);
  let resolved = rootfs;
  for (let i = 1; i <= components.length; i++) {
    resolved = resolveInSandbox(mounts, `/${components.slice(0, i).join('/')}`);
    const info = lstatSync(resolved, { throwIfNoEntry: false });
    if (!info) mkdirSync(resolved, { mode: 0o755 });
    else if (!info.isDirectory()) throw new Error(`${path} is not a directory in the image`);
  }
  return resolved;
}

/**
 * Bytes `value` takes as a JSON string (quotes included), counted without building it: a string of NULs
 * grows sixfold (`\u0000`), which is what a job's result files would cost the runner's heap.
 */
export function jsonStringBytes(value: string): number {
  let bytes = 2;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09)
      bytes += 2;
    else if (c < 0x20) bytes += 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 6; // a lone surrogate is escaped
    } else if (c >= 0xdc00 && c <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

const CHUNK = 1024 * 1024;

export async function readSandboxFiles(
  mounts: Mount[],
  cwd: string,
  paths: string[],
  limits: FileLimits = {},
): Promise<Record<string, string>> {
  const maxFiles = limits.maxFiles ?? DEFAULT_FILE_LIMITS.maxFiles;
  const maxFileBytes = limits.maxFileBytes ?? DEFAULT_FILE_LIMITS.maxFileBytes;
  const maxTotal = limits.maxTotalBytes ?? Number.POSITIVE_INFINITY;
  if (paths.length > maxFiles) {
    throw new OutputFileError(
      'TOO_MANY_FILES',
      undefined,
      `${paths.length} files asked for, at most ${maxFiles}`,
    );
  }
  // Every file is opened and measured before any is read: sizes a job chose (sparse files read as
  // their apparent size, whatever they occupy) are refused up front, never read into the heap.
  const opened: Array<{ path: string; handle: FileHandle; size: number }> = [];
  try {
    let apparent = 0;
    let allocated = 0;
    for (const path of paths) {
      if (!path || path.includes('\0'))
        throw new OutputFileError('BAD_PATH', path, `bad file path ${JSON.stringify(path)}`);
      const host = resolveInSandbox(mounts, path, cwd);
      const handle = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
            throw new OutputFileError('NOT_FOUND', path, `${path}: no such file`);
          }
          throw new OutputFileError('NOT_A_FILE', path, `${path}: ${error.message}`);
        },
      );
      opened.push({ path, handle, size: 0 });
      const info = await handle.stat();
      if (!info.isFile()) throw new OutputFileError('NOT_A_FILE', path, `${path} is not a regular file`);
      if (info.size > maxFileBytes) {
        throw new OutputFileError(
          'FILE_TOO_LARGE',
          path,
          `${path} has ${info.size} bytes, at most ${maxFileBytes}`,
        );
      }
      opened[opened.length - 1].size = info.size;
      apparent += info.size;
      allocated += info.blocks * 512;
    }
    if (apparent > maxTotal) {
      throw new OutputFileError(
        'TOO_LARGE',
        undefined,
        `the ${paths.length} result files come to ${mib(apparent)} MiB (${mib(allocated)} MiB on disk), more than the ${mib(maxTotal)} MiB left for outputs`,
        apparent,
      );
    }
    const files: Record<string, string> = {};
    let encoded = 0;
    for (const { path, handle, size } of opened) {
      // Read one byte past the limit: the size from stat can be stale if something still writes.
      const buffer = Buffer.alloc(Math.min(size, maxFileBytes) + 1);
      let length = 0;
      while (length < buffer.length) {
        const want = Math.min(CHUNK, buffer.length - length);
        const { bytesRead } = await handle.read(buffer, length, want, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > maxFileBytes) {
        throw new OutputFileError('FILE_TOO_LARGE', path, `${path} has more than ${maxFileBytes} bytes`);
      }
      const content = buffer.subarray(0, length).toString('utf8');
      encoded += jsonStringBytes(content) + jsonStringBytes(path) + 2;
      if (encoded > maxTotal) {
        throw new OutputFileError(
          'TOO_LARGE',
          path,
          `the result files come to more than the ${mib(maxTotal)} MiB left for outputs once encoded (${path} and those before it)`,
          encoded,
        );
      }
      files[path] = content;
    }
    return files;
  } finally {
    await Promise.all(opened.map(({ handle }) => handle.close()));
  }
}

const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
