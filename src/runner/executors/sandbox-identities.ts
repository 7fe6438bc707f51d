import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ExecutorError } from './executor.js';
import type { SandboxIdentity } from './limits.js';

/** Far above any uid a distribution hands out; the same base on every runner. */
export const DEFAULT_SANDBOX_UID_BASE = 1_500_000_000;

/** Where a uid's claim is held while a sandbox runs as it: one file per uid, holding the runner's pid. */
export const DEFAULT_SANDBOX_UID_CLAIMS = '/run/benchline/sandbox-uids';

/**
 * Hands each concurrent sandbox a host uid of its own (base + 1 …), all in one group (base), so no
 * sandbox is ever host root, RLIMIT_NPROC counts one job's tasks only, and the runner's private work
 * dir can let exactly this group traverse it (mode 0710).
 *
 * "Of its own" holds across every runner process on the host, not only within one: the uids come
 * from the same range on every runner, and two runners (or test workers) that handed out the same uid
 * put two jobs under one RLIMIT_NPROC count, where one job's fork bomb refuses the other's forks. A uid
 * is claimed by creating its file exclusively; a claim whose runner is gone is taken over.
 */
export class SandboxIdentities {
  readonly gid: number;
  readonly #base: number;
  readonly #size: number;
  readonly #claims: string;
  readonly #held = new Set<number>();
  /** Where the next search starts: uids are handed out in turn, not lowest first (see acquire). */
  #cursor: number;

  constructor(base = DEFAULT_SANDBOX_UID_BASE, size = 1024, claims = DEFAULT_SANDBOX_UID_CLAIMS) {
    this.gid = base;
    this.#base = base;
    this.#size = size;
    this.#claims = claims;
    this.#cursor = process.pid % size;
    mkdirSync(claims, { recursive: true, mode: 0o700 });
  }

  /**
   * In turn, from where the last search ended, not the lowest free uid: a job's processes can outlive
   * its sandbox as zombies until the host's init reaps them, and they still count against their uid's
   * RLIMIT_NPROC; the next job under that uid would start with less than its limit.
   */
  acquire(): SandboxIdentity {
    for (let i = 0; i < this.#size; i++) {
      const uid = this.#base + 1 + ((this.#cursor + i) % this.#size);
      if (!this.#held.has(uid) && this.#claim(uid)) {
        this.#held.add(uid);
        this.#cursor = (this.#cursor + i + 1) % this.#size;
        return { uid, gid: this.gid };
      }
    }
    throw new ExecutorError(
      `more concurrent sandboxes on this host than sandbox uids (${this.#size}); wait for running jobs to end`,
    );
  }

  release(identity: SandboxIdentity): void {
    if (!this.#held.delete(identity.uid)) return;
    rmSync(join(this.#claims, String(identity.uid)), { force: true });
  }

  #claim(uid: number): boolean {
    const path = join(this.#claims, String(uid));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = readFileSync(path, 'utf8').trim();
      // Empty: another runner created it and is writing its pid this instant (or died doing so, long ago).
      if (!text) {
        if (Date.now() - statSync(path).mtimeMs < 10_000) return false;
      }
      const holder = Number(text || Number.NaN);
      if (alive(holder)) return false;
      // Its runner is gone (a crash leaves the file): the uid is free. Another runner may take it first.
      rmSync(path, { force: true });
    }
    return false;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a sandbox uid of `gid`'s group can reach paths under `dir` (bubblewrap opens its mount sources
 * by path, as that uid): every ancestor must let others, or that group, search it.
 */
export function reachableBySandboxes(dir: string, gid: number): boolean {
  for (let path = resolve(dir); ; path = dirname(path)) {
    const info = statSync(path, { throwIfNoEntry: false });
    if (info) {
      const searchable = info.mode & 0o001 || (info.gid === gid && info.mode & 0o010);
      if (!searchable) return false;
    }
    if (path === dirname(path)) return true;
  }
}

/**
 * The runner's own directories: root's, searchable by the sandboxes' group only (0710), so no other
 * host user can list or enter them, and a sandbox can reach its rootfs and scratch by path.
 */
export function makePrivate(dir: string, gid: number | undefined): void {
  if (gid === undefined) {
    chmodSync(dir, 0o700);
    return;
  }
  chownSync(dir, 0, gid);
  chmodSync(dir, 0o710);
}
