import { chmodSync, chownSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExecutorError } from './executor.js';
import type { SandboxIdentity } from './limits.js';

/** Far above any uid a distribution hands out; the same base on every runner. */
export const DEFAULT_SANDBOX_UID_BASE = 1_500_000_000;

/**
 * Hands each concurrent sandbox a host uid of its own (base + 1 …), all in one group (base), so no
 * sandbox is ever host root, RLIMIT_NPROC counts one job's tasks only, and the runner's private work
 * dir can let exactly this group traverse it (mode 0710).
 */
export class SandboxIdentities {
  readonly gid: number;
  readonly #free: number[];

  constructor(base = DEFAULT_SANDBOX_UID_BASE, size = 64) {
    this.gid = base;
    this.#free = Array.from({ length: size }, (_, i) => base + size - i);
  }

  acquire(): SandboxIdentity {
    const uid = this.#free.pop();
    if (uid === undefined) throw new ExecutorError('more concurrent sandboxes than sandbox uids');
    return { uid, gid: this.gid };
  }

  release(identity: SandboxIdentity): void {
    if (!this.#free.includes(identity.uid)) this.#free.push(identity.uid);
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
