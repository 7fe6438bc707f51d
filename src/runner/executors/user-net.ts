import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { ExecutorError } from './executor.js';

export interface UserNetTools {
  slirp4netns: string;
  nsenter: string;
  ip: string;
}

/**
 * Ranges a job's network may not reach by default: private, shared (CGNAT) and link-local space, where
 * a runner's neighbours (databases, cloud metadata at 169.254.169.254) live. The host's own addresses
 * are added to it (hostAddresses): user-mode networking connects from the host, so they would reach
 * the host's own services.
 */
export const DEFAULT_NETWORK_DENY = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
];

/** The host's own IPv4 addresses, as /32 ranges. */
export function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `${a!.address}/32`);
}

export interface AttachedNetwork {
  stop(): void;
}

/**
 * Gives the sandbox whose pid 1 is `pid` (its own network namespace, still empty) a user-mode network:
 * slirp4netns on the host side, with host loopback refused (`--disable-host-loopback`), and a
 * `prohibit` route inside for each denied range. The sandbox has no capabilities in its namespace, so
 * it cannot remove them. Host unix sockets stay out of reach: the file system ones are not in the
 * sandbox, and abstract ones belong to the host's network namespace.
 */
export async function attachUserNetwork(
  pid: number,
  tools: UserNetTools,
  deny: string[],
): Promise<AttachedNetwork> {
  const slirp = spawn(
    tools.slirp4netns,
    ['--configure', '--mtu=65520', '--disable-host-loopback', '--ready-fd=3', String(pid), 'tap0'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const stop = () => {
    if (slirp.exitCode === null) slirp.kill('SIGKILL');
  };
  try {
    let stderr = '';
    slirp.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ExecutorError('slirp4netns did not start within 10 s')),
        10_000,
      );
      (slirp.stdio[3] as NodeJS.ReadableStream).once('data', () => {
        clearTimeout(timer);
        resolve();
      });
      slirp.once('error', (error) => {
        clearTimeout(timer);
        reject(new ExecutorError(`cannot start slirp4netns: ${error.message}`, { cause: error }));
      });
      slirp.once('exit', (code) => {
        clearTimeout(timer);
        reject(new ExecutorError(`slirp4netns exited (${code}): ${stderr.trim()}`));
      });
    });
    if (deny.length > 0) {
      const routes = deny.map((range) => `route add prohibit ${range}\n`).join('');
      await new Promise<void>((resolve, reject) => {
        const ip = spawn(tools.nsenter, ['--target', String(pid), '--net', tools.ip, '-batch', '-'], {
          stdio: ['pipe', 'ignore', 'pipe'],
        });
        let err = '';
        ip.stderr.on('data', (c) => {
          err += c;
        });
        ip.once('error', reject);
        ip.once('exit', (code) =>
          code === 0
            ? resolve()
            : reject(new ExecutorError(`cannot set the network deny-list: ${err.trim()}`)),
        );
        ip.stdin.end(routes);
      });
    }
    return { stop };
  } catch (error) {
    stop();
    throw error;
  }
}
