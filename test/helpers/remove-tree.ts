import { rm } from 'node:fs/promises';
import { unmountStale } from '../../src/runner/executors/sandbox-scratch.js';

/**
 * Removes a test's temporary directory, first unmounting what a runner the test killed left mounted
 * inside it (a root runner mounts each run's scratch; a SIGKILLed one cannot unmount it, and a
 * mount point cannot be removed: EBUSY).
 */
export async function removeTree(dir: string): Promise<void> {
  await unmountStale(dir);
  await rm(dir, { recursive: true, force: true });
}
