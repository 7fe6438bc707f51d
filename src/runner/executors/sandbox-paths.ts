import { constants, lstatSync, mkdirSync, readlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
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

export async function readSandboxFiles(
  mounts: Mount[],
  cwd: string,
  paths: string[],
  limits: FileLimits = {},
): Promise<Record<string, string>> {
  const maxFiles = limits.maxFiles ?? DEFAULT_FILE_LIMITS.maxFiles;
  const maxFileBytes = limits.maxFileBytes ?? DEFAULT_FILE_LIMITS.maxFileBytes;
  if (paths.length > maxFiles) {
    throw new OutputFileError(
      'TOO_MANY_FILES',
      undefined,
      `${paths.length} files asked for, at most ${maxFiles}`,
    );
  }
  const files: Record<string, string> = {};
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
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new OutputFileError('NOT_A_FILE', path, `${path} is not a regular file`);
      if (info.size > maxFileBytes) {
        throw new OutputFileError(
          'FILE_TOO_LARGE',
          path,
          `${path} has ${info.size} bytes, at most ${maxFileBytes}`,
        );
      }
      // Read one byte past the limit: the size from stat can be stale if something still writes.
      const buffer = Buffer.alloc(Math.min(info.size, maxFileBytes) + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > maxFileBytes) {
        throw new OutputFileError('FILE_TOO_LARGE', path, `${path} has more than ${maxFileBytes} bytes`);
      }
      files[path] = buffer.subarray(0, length).toString('utf8');
    } finally {
      await handle.close();
    }
  }
  return files;
}
