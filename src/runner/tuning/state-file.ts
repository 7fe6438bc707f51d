import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './host-roots.js';

/** One host setting changed by a knob, with the value to put back. */
export interface RecordedChange {
  knob: string;
  path: string;
  previous: string;
}

export interface TuningState {
  pid: number;
  startedAt: string;
  changes: RecordedChange[];
}

export const STATE_FILE = 'tuning-state.json';

/**
 * The previous values of everything the runner changed, in the work dir. Each change is recorded here
 * (and synced) before it is made, so a runner killed at any moment leaves enough for the next start
 * to put the host back.
 */
export class StateFile {
  readonly path: string;
  private state: TuningState;

  constructor(workDir: string) {
    this.path = join(workDir, STATE_FILE);
    this.state = { pid: process.pid, startedAt: new Date().toISOString(), changes: [] };
  }

  async record(change: RecordedChange): Promise<void> {
    this.state.changes.push(change);
    await this.save();
  }

  /** Forgets a change that was recorded but not made (the kernel refused the write). */
  async discard(change: RecordedChange): Promise<void> {
    const at = this.state.changes.lastIndexOf(change);
    if (at < 0) return;
    this.state.changes.splice(at, 1);
    await this.save();
  }

  /** Forgets every change after the first `count` (they have been put back). */
  async truncate(count: number): Promise<void> {
    if (this.state.changes.length <= count) return;
    this.state.changes.length = count;
    await this.save();
  }

  private async save(): Promise<void> {
    if (this.state.changes.length === 0) await rm(this.path, { force: true });
    else await writeFileAtomic(this.path, JSON.stringify(this.state, null, 2));
  }

  get changes(): readonly RecordedChange[] {
    return this.state.changes;
  }

  async remove(): Promise<void> {
    this.state.changes = [];
    await rm(this.path, { force: true });
  }
}

/** What a previous runner left: null when it exited cleanly (or never tuned). */
export async function readLeftoverState(workDir: string): Promise<TuningState | null> {
  const text = await readFile(join(workDir, STATE_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const state = JSON.parse(text) as TuningState;
    if (!Array.isArray(state.changes)) return null;
    return state;
  } catch {
    return null;
  }
}
