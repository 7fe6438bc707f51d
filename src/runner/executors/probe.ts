import { execFile } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { hasSysNice, resolveJobPriority } from './priority.js';
import type { UserNetTools } from './user-net.js';

const run = promisify(execFile);

export interface HostCapabilities {
  cores: number;
  bwrap: { path: string | undefined; version?: string; works: boolean; error?: string };
  userNamespaces: boolean;
  cgroupV2: { mounted: boolean; writable: boolean; path?: string };
  prlimit: string | undefined;
  taskset: string | undefined;
  setpriv?: string;
  /** nice(1), to start jobs at `jobNice`. */
  nice?: string;
  /** CAP_SYS_NICE in the effective set (root has it): jobs may get a priority above the default. */
  sysNice?: boolean;
  /** The nice value jobs start at (`resolveJobPriority`); undefined: the default priority. */
  jobNice?: number;
  /** The runner runs as root: it can give each sandbox an unprivileged uid of its own. */
  root?: boolean;
  /** slirp4netns, nsenter and ip: a network of its own for a job whose spec allows network. */
  userNet?: UserNetTools;
}

export async function findExecutable(
  name: string,
  path = process.env.PATH ?? '',
): Promise<string | undefined> {
  for (const dir of [...path.split(delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    ) {
      return candidate;
    }
  }
  return undefined;
}

async function trial(command: string, args: string[]): Promise<{ ok: boolean; error?: string }> {
  try {
    await run(command, args, { timeout: 10_000, env: {} });
    return { ok: true };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return { ok: false, error: (e.stderr || e.message).trim().split('\n')[0] };
  }
}

async function probeCgroupV2(): Promise<HostCapabilities['cgroupV2']> {
  const mounted = await access('/sys/fs/cgroup/cgroup.controllers').then(
    () => true,
    () => false,
  );
  if (!mounted) return { mounted: false, writable: false };
  const self = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  const line = self.split('\n').find((l) => l.startsWith('0::'));
  const path = join('/sys/fs/cgroup', line ? line.slice(3) : '/');
  // Creating a child group needs write access to our own group directory.
  const writable = await access(path, constants.W_OK).then(
    () => true,
    () => false,
  );
  return { mounted, writable, path };
}

/** What isolation and limits this host can give; logged once at runner start. */
export async function probeHost(): Promise<HostCapabilities> {
  const [bwrapPath, prlimit, taskset, setpriv, nice, status, cgroupV2, slirp4netns, nsenter, ip] =
    await Promise.all([
      findExecutable('bwrap'),
      findExecutable('prlimit'),
      findExecutable('taskset'),
      findExecutable('setpriv'),
      findExecutable('nice'),
      readFile('/proc/self/status', 'utf8').catch(() => ''),
      probeCgroupV2(),
      findExecutable('slirp4netns'),
      findExecutable('nsenter'),
      findExecutable('ip'),
    ]);
  const capabilities: HostCapabilities = {
    cores: availableParallelism(),
    bwrap: { path: bwrapPath, works: false },
    userNamespaces: false,
    cgroupV2,
    prlimit,
    taskset,
    setpriv,
    nice,
    sysNice: hasSysNice(status),
    root: process.getuid?.() === 0,
    userNet: slirp4netns && nsenter && ip ? { slirp4netns, nsenter, ip } : undefined,
  };
  capabilities.jobNice = resolveJobPriority({
    cores: capabilities.cores,
    nice,
    sysNice: hasSysNice(status),
  }).nice;
  if (bwrapPath) {
    capabilities.bwrap.version = await run(bwrapPath, ['--version'], { timeout: 5000 }).then(
      (r) => r.stdout.trim(),
      () => undefined,
    );
    const sandbox = [
      '--die-with-parent',
      '--new-session',
      '--ro-bind',
      '/',
      '/',
      '--proc',
      '/proc',
      '--dev',
      '/dev',
    ];
    const all = await trial(bwrapPath, ['--unshare-all', ...sandbox, 'true']);
    capabilities.bwrap.works = all.ok;
    if (!all.ok) capabilities.bwrap.error = all.error;
    const userns = await trial(bwrapPath, ['--unshare-user', '--uid', '0', '--gid', '0', ...sandbox, 'true']);
    capabilities.userNamespaces = userns.ok;
  }
  return capabilities;
}

export function describeCapabilities(c: HostCapabilities): string {
  const bwrap = c.bwrap.path
    ? `${c.bwrap.version ?? 'bwrap'} at ${c.bwrap.path}: ${c.bwrap.works ? 'works' : `FAILS (${c.bwrap.error})`}`
    : 'bwrap not found';
  return [
    `cores=${c.cores}`,
    bwrap,
    `user namespaces: ${c.userNamespaces ? 'yes' : 'no'}`,
    `cgroup v2: ${c.cgroupV2.mounted ? (c.cgroupV2.writable ? 'writable' : 'read-only') : 'not mounted'}`,
    `prlimit: ${c.prlimit ?? 'missing'}`,
    `taskset: ${c.taskset ?? 'missing'}`,
    `setpriv: ${c.setpriv ?? 'missing'}`,
    `job priority: ${c.jobNice === undefined ? 'default' : `nice ${c.jobNice}`}`,
    `user-mode network: ${c.userNet ? c.userNet.slirp4netns : 'missing (slirp4netns, nsenter, ip)'}`,
  ].join('; ');
}
