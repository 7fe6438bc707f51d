import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmdirSync,
  unlinkSync,
} from 'node:fs';
import { lchown, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ExecutorError } from './executor.js';
import type { SandboxIdentity } from './limits.js';
import { ensureDirectoryInRoot, type Mount } from './sandbox-paths.js';

/** Room on the scratch tmpfs beyond the disk limit, so a full tmpfs reads as over the limit. */
export const SCRATCH_SLACK_BYTES = 1024 * 1024;

/** What a run writes to and binds from, and how to take it down. */
export interface Scratch {
  /** Host path of the sandbox's `/` (bound read-only). */
  root: string;
  /** An empty host file (bound over /proc/cmdline). */
  empty: string;
  /** bwrap options binding the writable places: /tmp and the working directory. */
  binds: string[];
  /** Sandbox paths to host paths, for reading the run's files after it ends. */
  mounts: Mount[];
  /** Host directories holding everything the run wrote (the disk watchdog's). */
  writable: string[];
  dispose(): Promise<void>;
}

export interface ScratchOptions {
  scratchRoot: string;
  rootfs: string;
  /** Absolute, normalised. */
  workingDir: string;
  /** The host uid the sandbox runs as (a root runner), if any. */
  owner?: SandboxIdentity;
  /** The uid inside the sandbox (the image's user). */
  uid: number;
  diskBytes?: number;
}

const run = promisify(execFile);

export const isUnder = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/** Hands the image's working directory tree to the sandbox's uid, as Docker's root would own it. */
async function chownTree(path: string, owner: SandboxIdentity): Promise<void> {
  await lchown(path, owner.uid, owner.gid);
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, owner);
    else await lchown(child, owner.uid, owner.gid);
  }
}

/**
 * Readies the working directory in the image tree (before any overlay goes over it): the job's to write,
 * as it would be for Docker's root. Returns its host path, or undefined when it is `/` or under /tmp.
 */
async function prepareWorkDir(options: ScratchOptions): Promise<string | undefined> {
  const { rootfs, workingDir, owner } = options;
  // bwrap cannot create mount points on a read-only root, so they must exist in the image tree.
  for (const dir of ['/proc', '/dev', '/tmp']) ensureDirectoryInRoot(rootfs, dir);
  if (workingDir === '/' || isUnder(workingDir, '/tmp')) return undefined;
  // Resolved inside the rootfs: an image symlinking its workdir to a host path binds nothing of the host.
  const hostWorkDir = ensureDirectoryInRoot(rootfs, workingDir);
  if (owner) await chownTree(hostWorkDir, owner);
  else if (options.uid !== 0) chmodSync(hostWorkDir, 0o1777);
  return hostWorkDir;
}

/** A working directory under /tmp is created in the run's own /tmp. */
function prepareTmpWorkDir(options: ScratchOptions, tmp: string): void {
  if (!isUnder(options.workingDir, '/tmp')) return;
  const dir = ensureDirectoryInRoot(tmp, options.workingDir.slice('/tmp'.length) || '/');
  if (options.owner) chownSync(dir, options.owner.uid, options.owner.gid);
}

/**
 * Host directories: /tmp is a fresh directory under the scratch root and the working directory is the
 * image's own, bound read-write. The disk limit is RLIMIT_FSIZE per file and the watchdog for the total,
 * and the sandbox's mountinfo shows these host paths. For runners that cannot mount (not root).
 */
export async function hostScratch(options: ScratchOptions): Promise<Scratch> {
  const { rootfs, workingDir, owner } = options;
  // The 0700 scratch directory keeps other host users out of the world-writable /tmp inside it
  // (0710 for the sandboxes' group, which must reach it but not list it).
  const scratch = mkdtempSync(join(options.scratchRoot, 'benchline-sandbox-'));
  const tmp = join(scratch, 'tmp');
  const empty = join(scratch, 'empty');
  try {
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    closeSync(openSync(empty, 'w', 0o444));
    if (owner) {
      chownSync(scratch, 0, owner.gid);
      chmodSync(scratch, 0o710);
      chownSync(tmp, owner.uid, owner.gid);
    }
    const workDir = await prepareWorkDir(options);
    prepareTmpWorkDir(options, tmp);
    const mounts: Mount[] = [
      { sandboxPath: '/', hostPath: rootfs },
      { sandboxPath: '/tmp', hostPath: tmp },
    ];
    const binds = ['--bind', tmp, '/tmp'];
    if (workDir) {
      binds.push('--bind', workDir, workingDir);
      mounts.push({ sandboxPath: workingDir, hostPath: workDir });
    }
    return {
      root: rootfs,
      empty,
      binds,
      mounts,
      writable: workDir ? [tmp, workDir] : [tmp],
      // Most runs leave /tmp empty: two rmdir calls then beat a recursive walk through the thread pool.
      // Anything left in it (ENOTEMPTY) goes the asynchronous way, so a big tree never blocks the loop.
      dispose: async () => {
        try {
          unlinkSync(empty);
          rmdirSync(tmp);
          rmdirSync(scratch);
        } catch {
          await rm(scratch, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
}

/** Runs a command to its end; its stdio beyond 2 are the given descriptors (fd 3, 4, …). */
function runWithFds(command: string, args: string[], fds: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe', ...fds] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(stderr.trim() || `${command} exited ${code}`)),
    );
  });
}

/**
 * A tmpfs of the disk limit's size (a hard limit, however fast the job writes) holding an overlay over
 * the image: the job's writes anywhere, /tmp and the working directory included, land in the tmpfs, and
 * the sandbox sees no host path in its mountinfo (the overlay's layers are file descriptors, the tmpfs's
 * files paths inside it). Needs root on the host; the mounts stay until dispose, so the run's files can
 * be read after it ends.
 */
export async function mountedScratch(options: ScratchOptions): Promise<Scratch> {
  const { rootfs, workingDir, owner, diskBytes } = options;
  await prepareWorkDir(options);
  const scratch = mkdtempSync(join(options.scratchRoot, 'benchline-sandbox-'));
  const tmpfs = ['nosuid', 'nodev', 'mode=0710', `gid=${owner?.gid ?? 0}`];
  if (diskBytes) {
    // tmpfs is memory: its inodes are bounded too (one a 4 KiB page of the limit, at least 16k).
    tmpfs.push(`size=${Math.ceil(diskBytes) + SCRATCH_SLACK_BYTES}`);
    tmpfs.push(`nr_inodes=${Math.max(16_384, Math.ceil(diskBytes / 4096))}`);
  }
  const unmount = async () => {
    await run('umount', ['--recursive', scratch]).catch(() =>
      run('umount', ['--recursive', '--lazy', scratch]),
    );
    rmdirSync(scratch);
  };
  // Two processes per run (each costs a fork and exec, which is what a loaded runner pays for):
  // everything else is done here.
  const fds: number[] = [];
  try {
    await runWithFds('mount', ['-t', 'tmpfs', '-o', tmpfs.join(','), 'tmpfs', scratch], []);
    for (const name of ['upper', 'work', 'root']) mkdirSync(join(scratch, name));
    closeSync(openSync(join(scratch, 'empty'), 'w', 0o444));
    // The overlay's layers are named by the mount process's own descriptors, so its options (which the
    // sandbox reads in mountinfo) hold no host path.
    for (const dir of [rootfs, join(scratch, 'upper'), join(scratch, 'work')])
      fds.push(openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY));
    await runWithFds(
      'mount',
      [
        '-t',
        'overlay',
        '-o',
        'nosuid,nodev,lowerdir=/proc/self/fd/3,upperdir=/proc/self/fd/4,workdir=/proc/self/fd/5',
        'overlay',
        join(scratch, 'root'),
      ],
      fds,
    );
  } catch (error) {
    await run('umount', ['--recursive', scratch]).catch(() => {});
    await rm(scratch, { recursive: true, force: true });
    throw new ExecutorError(
      `cannot mount the run's scratch tmpfs and overlay (${error instanceof Error ? error.message : error}); the runner needs root and overlayfs (modprobe overlay)`,
    );
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  const root = join(scratch, 'root');
  try {
    const tmp = ensureDirectoryInRoot(root, '/tmp');
    chmodSync(tmp, 0o1777);
    if (owner) chownSync(tmp, owner.uid, owner.gid);
    prepareTmpWorkDir(options, tmp);
    const binds = ['--bind', tmp, '/tmp'];
    if (workingDir !== '/' && !isUnder(workingDir, '/tmp'))
      binds.push('--bind', ensureDirectoryInRoot(root, workingDir), workingDir);
    return {
      root,
      empty: join(scratch, 'empty'),
      binds,
      mounts: [{ sandboxPath: '/', hostPath: root }],
      writable: [join(scratch, 'upper')],
      dispose: unmount,
    };
  } catch (error) {
    await unmount().catch(() => {});
    throw error;
  }
}

/**
 * Unmounts what a killed runner left mounted under its scratch root (before the directory is emptied:
 * removing files through a live overlay would only whiteout them).
 */
export async function unmountStale(scratchRoot: string): Promise<void> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const points = text
    .split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\040/g, ' '))
    .filter(
      (point): point is string => Boolean(point) && isUnder(point!, scratchRoot) && point !== scratchRoot,
    );
  // Deepest first: an overlay inside its tmpfs goes before the tmpfs.
  for (const point of points.sort((a, b) => b.length - a.length)) {
    await run('umount', ['--lazy', point]).catch(() => {});
  }
}
