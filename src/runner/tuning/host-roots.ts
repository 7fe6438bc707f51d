import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, readFile, rename, writeFile } from 'node:fs/promises';

/**
 * Where the kernel's files are. Everything that reads or changes host settings takes these, so tests
 * run every knob against a temporary tree laid out like /proc, /sys and /dev and never touch the
 * machine they run on.
 */
export interface HostRoots {
  proc: string;
  sys: string;
  dev: string;
}

export const REAL_HOST: HostRoots = { proc: '/proc', sys: '/sys', dev: '/dev' };

/**
 * `BENCHLINE_TUNING_ROOT=DIR` points the runner's preflight and tuning at DIR/proc, DIR/sys and DIR/dev
 * instead of the real ones: how the tests run `runner up --tune` without touching the machine.
 */
export function hostRootsFromEnv(env: Record<string, string | undefined> = process.env): HostRoots {
  const base = env.BENCHLINE_TUNING_ROOT;
  if (!base) return REAL_HOST;
  return { proc: `${base}/proc`, sys: `${base}/sys`, dev: `${base}/dev` };
}

/** File access for tuning; tests wrap it to see how a refusal (EACCES, EPERM) is reported. */
export interface TuningIo {
  read(path: string): Promise<string>;
  write(path: string, value: string): Promise<void>;
  /** Opens for writing and keeps the handle (for requests that last as long as the file is open). */
  hold(path: string): Promise<FileHandle>;
}

export const realIo: TuningIo = {
  read: (path) => readFile(path, 'utf8'),
  // sysfs and procfs files take one write of the whole value; no truncation games.
  write: (path, value) => writeFile(path, value, { flag: constants.O_WRONLY | constants.O_TRUNC }),
  // Never created: a missing device file means the kernel has no such request.
  hold: (path) => open(path, constants.O_WRONLY),
};

/** Writes a file whole or not at all: a crash mid-write must not leave a state file half written. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A refusal by the kernel or the file's permissions, as opposed to the file not existing. */
export function isNotPermitted(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}
