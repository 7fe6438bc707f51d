import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/helpers/free-port.js';
import { buildLayer, busyboxEntries } from '../../../test/helpers/oci-image.js';
import { unpackImage } from '../image/unpack.js';
import { BwrapExecutor } from './bwrap.js';
import { OutputFileError, type RunOptions } from './executor.js';
import { probeHost } from './probe.js';
import { hostAddresses } from './user-net.js';

let dir: string;
let rootfs: string;
let server: Server;
let port: number;
const executor = new BwrapExecutor();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'benchline-bwrap-'));
  const layer = join(dir, 'layer.tar.gz');
  await writeFile(
    layer,
    buildLayer([
      ...busyboxEntries(),
      { type: 'dir', path: 'bench/' },
      { type: 'file', path: 'bench/input.txt', content: 'from the image\n' },
      { type: 'symlink', path: 'hostlink', target: '/work' },
    ]).blob,
  );
  rootfs = join(dir, 'rootfs');
  await unpackImage([{ path: layer }], rootfs);
  port = await freePort();
  server = createServer((_req, res) => res.end('host server\n'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

async function exec(argv: string[], extra: Partial<RunOptions> = {}, runner = executor) {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const result = await runner.run({
    rootfs,
    argv,
    env: { PATH: '/bin', IMAGE_VAR: 'image', JOB_VAR: 'job' },
    workingDir: '/bench',
    network: false,
    timeoutMs: 10_000,
    onStdout: (c) => stdout.push(c),
    onStderr: (c) => stderr.push(c),
    ...extra,
  });
  return {
    result,
    stdout: Buffer.concat(stdout).toString(),
    stderr: Buffer.concat(stderr).toString(),
  };
}

function processesMatching(marker: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(marker)) count++;
    } catch {}
  }
  return count;
}

describe('BwrapExecutor', () => {
  it('the probe finds working bubblewrap on this host', async () => {
    const caps = await probeHost();
    expect(caps.bwrap.works).toBe(true);
  });

  it('streams stdout and stderr and reports the exit code', async () => {
    const { result, stdout, stderr } = await exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(stdout).toBe('out\n');
    expect(stderr).toBe('err\n');
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false, canceled: false });
    expect(result.durationMs).toBeGreaterThan(0);
    await result.dispose();
  });

  it('passes exactly the computed env, none of the host', async () => {
    process.env.BENCHLINE_HOST_SECRET = 'leak';
    const { stdout, result } = await exec(['/bin/env']);
    delete process.env.BENCHLINE_HOST_SECRET;
    // bwrap's --chdir exports PWD, as a shell would.
    expect(stdout.trim().split('\n').sort()).toEqual([
      'IMAGE_VAR=image',
      'JOB_VAR=job',
      'PATH=/bin',
      'PWD=/bench',
    ]);
    await result.dispose();
  });

  it('shows the image, not the host filesystem, and keeps the rootfs read-only', async () => {
    const { stdout, result } = await exec([
      'sh',
      '-c',
      [
        'cat /etc/passwd',
        'test -e /root && echo root-visible',
        `test -e ${process.cwd()} && echo repo-visible`,
        'test -e /hostlink/main && echo hostlink-visible',
        'touch /bin/new 2>/dev/null && echo rootfs-writable',
        'cat input.txt',
        'pwd',
      ].join('; '),
    ]);
    expect(stdout).toBe(`${readFileSync(join(rootfs, 'etc/passwd'), 'utf8')}from the image\n/bench\n`);
    await result.dispose();
  });

  it('has no network but loopback, and cannot reach the host', async () => {
    const { stdout, result } = await exec([
      'sh',
      '-c',
      `ip -o link | cut -d: -f2; wget -q -T 2 -O - http://127.0.0.1:${port}/ || echo wget-failed`,
    ]);
    expect(stdout.split('\n').filter(Boolean)).toEqual([' lo', 'wget-failed']);
    await result.dispose();
  });

  describe('a network-allowed job gets a network of its own', async () => {
    const caps = await probeHost();
    const hostIp = hostAddresses()[0]?.replace(/\/32$/, '');
    let ethServer: Server;
    let unixServer: NetServer;
    const abstractName = `benchline-probe-${process.pid}`;
    beforeAll(async () => {
      ethServer = createServer((_req, res) => res.end('host server\n'));
      await new Promise<void>((resolve) => ethServer.listen(port, hostIp, resolve));
      unixServer = createNetServer((socket) => socket.end('host unix socket\n'));
      await new Promise<void>((resolve) => unixServer.listen(`\0${abstractName}`, resolve));
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => ethServer.close(() => resolve()));
      await new Promise<void>((resolve) => unixServer.close(() => resolve()));
    });
    const get = (url: string) => `wget -q -T 3 -O - ${url} 2>/dev/null || echo "blocked ${url}"`;

    it.runIf(caps.userNet && hostIp)(
      'cannot reach host loopback, host addresses or host abstract sockets, and has a route out',
      async () => {
        const networked = new BwrapExecutor({ userNet: caps.userNet });
        const script = [
          get(`http://127.0.0.1:${port}/`),
          get(`http://10.0.2.2:${port}/`),
          get(`http://${hostIp}:${port}/`),
          `grep -c ${abstractName} /proc/net/unix`,
        ].join('; ');
        const denied = await exec(['sh', '-c', script], { network: true }, networked);
        expect(denied.stdout.split('\n').filter(Boolean)).toEqual([
          `blocked http://127.0.0.1:${port}/`,
          `blocked http://10.0.2.2:${port}/`,
          `blocked http://${hostIp}:${port}/`,
          '0',
        ]);
        await denied.result.dispose();
        // This machine reaches nothing beyond itself, so the network's presence stands in for the
        // outside world: an interface of its own and a default route through slirp4netns.
        const route = await exec(
          ['sh', '-c', 'ip -o -4 addr show tap0 | cut -d" " -f7; ip route'],
          { network: true },
          networked,
        );
        expect(route.stdout).toMatch(/^10\.0\.2\.100\/24\n/);
        expect(route.stdout).toContain('default via 10.0.2.2 dev tap0');
        expect(route.stdout).toContain('prohibit 169.254.0.0/16');
        await route.result.dispose();
      },
    );

    it('refuses a network-allowed job without user-mode networking rather than share the host network', async () => {
      await expect(exec(['true'], { network: true })).rejects.toThrow(/slirp4netns/);
    });
  });

  it('collects files from /tmp and the working directory, resolving links inside the sandbox', async () => {
    const { result } = await exec([
      'sh',
      '-c',
      'echo \'{"ok":1}\' > /tmp/result.json; echo w > out.txt; ln -s /etc/passwd /tmp/link; ' +
        'ln -s ../../../../../../etc/shadow /tmp/climb; head -c 2000 /dev/zero > big',
    ]);
    expect(result.exitCode).toBe(0);
    const files = await result.readFiles(['/tmp/result.json', 'out.txt', '/bench/out.txt', '/tmp/link']);
    expect(files).toEqual({
      '/tmp/result.json': '{"ok":1}\n',
      'out.txt': 'w\n',
      '/bench/out.txt': 'w\n',
      '/tmp/link': readFileSync(join(rootfs, 'etc/passwd'), 'utf8'),
    });
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: OutputFileError) => e.reason,
      );
    expect(await reason(result.readFiles(['/tmp/climb']))).toBe('NOT_FOUND');
    expect(await reason(result.readFiles(['/tmp/missing']))).toBe('NOT_FOUND');
    expect(await reason(result.readFiles(['/tmp']))).toBe('NOT_A_FILE');
    expect(await reason(result.readFiles(['big'], { maxFileBytes: 1000 }))).toBe('FILE_TOO_LARGE');
    expect(await reason(result.readFiles(Array(256).fill('out.txt')))).toBe('TOO_MANY_FILES');
    await expect(result.readFiles(['/tmp/missing'])).rejects.toBeInstanceOf(OutputFileError);
    await result.dispose();
  });

  it('runs as the image user', async () => {
    const { stdout, result } = await exec(['id'], { user: 'bench' });
    expect(stdout).toMatch(/^uid=1000\b.*gid=1000\b/);
    await result.dispose();
  });

  it('a timeout kills the whole process tree', async () => {
    const { result } = await exec(['sh', '-c', 'sleep 4321 & sleep 4322 & sleep 4323; wait'], {
      timeoutMs: 500,
    });
    expect(result).toMatchObject({ timedOut: true, canceled: false, exitCode: null, signal: 'SIGKILL' });
    expect(result.durationMs).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 200));
    expect(processesMatching('sleep 432')).toBe(0);
    await result.dispose();
  });

  it('cancel takes effect within a second', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 300);
    const { result } = await exec(['sh', '-c', 'sleep 5432 & sleep 5433'], { signal: controller.signal });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(result).toMatchObject({ canceled: true, timedOut: false });
    await new Promise((r) => setTimeout(r, 200));
    expect(processesMatching('sleep 543')).toBe(0);
    await result.dispose();
  });

  it('survives an output flood without losing bytes', async () => {
    let bytes = 0;
    const result = await executor.run({
      rootfs,
      argv: ['sh', '-c', 'yes benchline | head -c 30000000; yes err | head -c 1000000 >&2'],
      env: { PATH: '/bin' },
      workingDir: '/',
      network: false,
      timeoutMs: 20_000,
      onStdout: (c) => {
        bytes += c.length;
      },
      onStderr: (c) => {
        bytes += c.length;
      },
    });
    expect(result.exitCode).toBe(0);
    expect(bytes).toBe(31_000_000);
    await result.dispose();
  });

  it('dispose removes the scratch space, whether the workload left files in /tmp or not', async () => {
    const scratchRoot = join(dir, 'scratch-root');
    mkdirSync(scratchRoot);
    const scratched = new BwrapExecutor({ scratchRoot });
    for (const script of ['true', 'mkdir -p /tmp/a/b && echo x > /tmp/a/b/f && echo y > /tmp/g']) {
      const result = await scratched.run({
        rootfs,
        argv: ['sh', '-c', script],
        env: { PATH: '/bin' },
        workingDir: '/',
        network: false,
        timeoutMs: 10_000,
        onStdout: () => {},
        onStderr: () => {},
      });
      expect(result.exitCode).toBe(0);
      expect(readdirSync(scratchRoot)).toHaveLength(1);
      await result.dispose();
      expect(readdirSync(scratchRoot)).toEqual([]);
    }
  });

  it('pins to benchmark cores with taskset when capabilities are given', async () => {
    const caps = await probeHost();
    const pinned = new BwrapExecutor({ capabilities: caps });
    const out: Buffer[] = [];
    const result = await pinned.run({
      rootfs,
      argv: ['sh', '-c', 'grep Cpus_allowed_list /proc/self/status'],
      env: { PATH: '/bin' },
      workingDir: '/',
      network: false,
      timeoutMs: 10_000,
      limits: { cpus: 1, memoryBytes: 512 * 1024 * 1024 },
      onStdout: (c) => out.push(c),
      onStderr: () => {},
    });
    expect(result.exitCode).toBe(0);
    const expected = caps.cores > 1 && caps.taskset ? '1' : `0-${caps.cores - 1}`;
    expect(Buffer.concat(out).toString().trim().split(/\s+/).pop()).toBe(caps.cores === 1 ? '0' : expected);
    await result.dispose();
  });
});
