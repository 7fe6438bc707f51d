import { readdirSync, readFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LimitExceeded, ResourceLimits } from './executor.js';

export interface TreeSample {
  /** Processes in the tree. */
  processes: number;
  /** Tasks (processes and threads): what RLIMIT_NPROC and pids.max count. */
  tasks: number;
  /** Anonymous and shared-memory resident bytes, summed over the tree. */
  residentBytes: number;
}

function statusFields(pid: number): { threads: number; resident: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined; // gone meanwhile
  }
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) * 1024;
  const threads = Number(/^Threads:\s+(\d+)/m.exec(text)?.[1] ?? 1);
  return { threads, resident: kib('RssAnon') + kib('RssShmem') };
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  // A child belongs to the thread that forked it, so every thread's list is read.
  for (const tid of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').split(' ')) {
        if (child.trim()) children.push(Number(child));
      }
    } catch {}
  }
  return children;
}

/**
 * The process tree under `root` (the sandbox's bubblewrap, whose pid namespace makes it the reaper of
 * everything the job forks, double-forked daemons included), read from /proc: a handful of small reads
 * per process, synchronous like the rest of a poll's bookkeeping.
 */
export function sampleTree(root: number): TreeSample {
  const sample: TreeSample = { processes: 0, tasks: 0, residentBytes: 0 };
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const fields = statusFields(pid);
    if (!fields) continue;
    sample.processes++;
    sample.tasks += fields.threads;
    sample.residentBytes += fields.resident;
    queue.push(...childrenOf(pid));
  }
  return sample;
}

export interface DiskSample {
  /** Bytes allocated on disk (st_blocks), hard links counted once, plus a nominal 256 bytes per entry. */
  allocatedBytes: number;
  /** Apparent sizes (st_size) of regular files. */
  apparentBytes: number;
  entries: number;
}

/** Walks the directories (not following symlinks, not crossing into other file systems' mounts). */
export async function measureDirs(dirs: string[]): Promise<DiskSample> {
  const sample: DiskSample = { allocatedBytes: 0, apparentBytes: 0, entries: 0 };
  const inodes = new Set<string>();
  const walk = async (dir: string) => {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(dir, name);
      const info = await lstat(path, { bigint: false }).catch(() => undefined);
      if (!info) continue;
      sample.entries++;
      const key = `${info.dev}:${info.ino}`;
      if (info.nlink > 1) {
        if (inodes.has(key)) continue;
        inodes.add(key);
      }
      sample.allocatedBytes += info.blocks * 512 + 256;
      if (info.isFile()) sample.apparentBytes += info.size;
      if (info.isDirectory()) await walk(path);
    }
  };
  for (const dir of dirs) await walk(dir);
  return sample;
}

export interface WatchdogOptions {
  /** The sandbox's outermost process (bubblewrap). */
  pid: number;
  limits: ResourceLimits;
  /** Processes the sandbox itself adds to the job's (bubblewrap's monitor and its pid 1). */
  overheadTasks: number;
  /** The job's writable directories on the host, and what they held before the run. */
  dirs: string[];
  diskBaseline: number;
  /** Called once, on the first limit found exceeded; the caller kills the sandbox. */
  onExceeded(limit: LimitExceeded): void;
  treeIntervalMs?: number;
  diskIntervalMs?: number;
}

export interface Watchdog {
  /** Stops polling, takes a last disk sample and says which limit, if any, the run went over. */
  stop(): Promise<LimitExceeded | undefined>;
  readonly peak: { tasks: number; residentBytes: number; diskBytes: number };
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;

/**
 * Polls the sandbox against the job's limits where the kernel alone does not enforce them (no cgroup v2):
 * total resident memory (RLIMIT_AS is only per process), tasks (backing RLIMIT_NPROC, which refuses a
 * fork but does not name the limit) and the bytes written to the writable directories (RLIMIT_FSIZE caps
 * one file only). A limit found exceeded is reported once; the caller kills the sandbox.
 */
export function startWatchdog(options: WatchdogOptions): Watchdog {
  const { limits } = options;
  const peak = { tasks: 0, residentBytes: 0, diskBytes: 0 };
  let exceeded: LimitExceeded | undefined;
  const report = (limit: LimitExceeded) => {
    if (exceeded) return;
    exceeded = limit;
    options.onExceeded(limit);
  };
  const checkTree = () => {
    const sample = sampleTree(options.pid);
    const tasks = Math.max(0, sample.tasks - options.overheadTasks);
    peak.tasks = Math.max(peak.tasks, tasks);
    peak.residentBytes = Math.max(peak.residentBytes, sample.residentBytes);
    if (limits.memoryBytes && sample.residentBytes > limits.memoryBytes) {
      report({
        reason: 'OUT_OF_MEMORY',
        message: `the job's processes held ${mib(sample.residentBytes)} of memory, over the spec's limit of ${mib(limits.memoryBytes)}; it was killed`,
      });
    } else if (limits.maxProcesses && tasks > limits.maxProcesses) {
      report({
        reason: 'PROCESS_LIMIT',
        message: `the job ran more than ${limits.maxProcesses} processes and threads at once, the spec's limit; it was killed`,
      });
    }
  };
  const diskUsed = (sample: DiskSample) => Math.max(0, sample.allocatedBytes - options.diskBaseline);
  const diskMessage = (used: number) =>
    `the job wrote ${mib(used)} to its writable directories, over the spec's disk limit of ${mib(limits.diskBytes!)}`;
  let walking: Promise<void> = Promise.resolve();
  const checkDisk = async () => {
    const sample = await measureDirs(options.dirs);
    const used = diskUsed(sample);
    peak.diskBytes = Math.max(peak.diskBytes, used);
    if (limits.diskBytes && used > limits.diskBytes)
      report({ reason: 'DISK_LIMIT', message: `${diskMessage(used)}; it was killed` });
  };
  const treeTimer = setInterval(() => {
    if (!exceeded) checkTree();
  }, options.treeIntervalMs ?? 50);
  let diskTimer: NodeJS.Timeout | undefined;
  const scheduleDisk = (delay: number) => {
    diskTimer = setTimeout(() => {
      const started = performance.now();
      walking = checkDisk().then(() => {
        // A big tree is walked less often, so the walk never takes more than a tenth of a core.
        if (!stopped)
          scheduleDisk(Math.max(options.diskIntervalMs ?? 200, (performance.now() - started) * 10));
      });
    }, delay);
  };
  let stopped = false;
  if (limits.diskBytes) scheduleDisk(options.diskIntervalMs ?? 200);
  return {
    peak,
    stop: async () => {
      stopped = true;
      clearInterval(treeTimer);
      clearTimeout(diskTimer);
      await walking;
      if (!exceeded && limits.diskBytes) {
        // RLIMIT_FSIZE stops a file at the limit without killing anything: a job that reached the limit
        // between polls (or ended before the next) is named here.
        const used = diskUsed(await measureDirs(options.dirs));
        peak.diskBytes = Math.max(peak.diskBytes, used);
        if (used >= limits.diskBytes) exceeded = { reason: 'DISK_LIMIT', message: diskMessage(used) };
      }
      return exceeded;
    },
  };
}
