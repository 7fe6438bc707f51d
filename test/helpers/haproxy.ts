import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** One `benchline server` behind the balancer. */
export interface Backend {
  name: string;
  port: number;
}

export interface Balancer {
  /** http://127.0.0.1:<port>, what runners, the CLI and the browser are given. */
  url: string;
  port: number;
  /** A command on haproxy's runtime API (the stats socket); resolves with its answer. */
  command(line: string): Promise<string>;
  /** Each backend's state as haproxy's health checks see it: UP, DOWN, MAINT, DRAIN, … */
  states(): Promise<Record<string, string>>;
  /** `drain`: no new connections (the ones open stay); `ready`: back in the rotation. */
  setState(backend: string, state: 'ready' | 'drain' | 'maint'): Promise<void>;
  /** haproxy's own output, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The configuration docs/operations.md ("Several servers") recommends, with the test's faster
 * health checks: round-robin per request, `/healthz` checks, long-poll-sized server timeouts, a
 * WebSocket tunnel timeout and client aborts passed on to the server. The response header X-Benchline-Backend names the server that
 * answered, so a test can see the rotation.
 */
export function haproxyConfig(options: {
  port: number;
  backends: Backend[];
  socket: string;
  checkIntervalMs?: number;
  checkTimeoutMs?: number;
}): string {
  const inter = options.checkIntervalMs ?? 2000;
  return `global
  maxconn 4096
  stats socket ${options.socket} mode 600 level admin

defaults
  mode http
  option forwardfor
  # A client's close reaches the server: a runner that gave up a claimJob long-poll is not handed a job.
  option abortonclose
  option redispatch
  retries 3
  timeout connect 2s
  timeout client 75s
  timeout server 75s
  timeout tunnel 1h
  timeout client-fin 5s
  timeout http-request 10s
  timeout http-keep-alive 10s
  timeout check ${options.checkTimeoutMs ?? 2000}ms

frontend benchline
  bind 127.0.0.1:${options.port}
  default_backend servers

backend servers
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  http-response set-header X-Benchline-Backend %s
  default-server check inter ${inter}ms fall 2 rise 2
${options.backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port}`).join('\n')}
`;
}

/** Debian's haproxy in the foreground, balancing over `backends`; resolves once all are UP. */
export async function startHaproxy(options: {
  dir: string;
  backends: Backend[];
  /** Chosen before the servers start when they must know the public URL. */
  port?: number;
}): Promise<Balancer> {
  const port = options.port ?? (await freePort());
  const socket = join(options.dir, 'haproxy.sock');
  const config = join(options.dir, 'haproxy.cfg');
  // Checks often, so a killed server leaves the rotation fast (its refused connection fails a
  // check at once), but with a long timeout: a loaded test machine may take seconds to answer.
  const text = haproxyConfig({
    port,
    backends: options.backends,
    socket,
    checkIntervalMs: 300,
    checkTimeoutMs: 5000,
  });
  await writeFile(config, text);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    out += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => {
    out += `\n${String(error)} (is the haproxy package installed?)`;
  });

  const command = (line: string) =>
    new Promise<string>((resolve, reject) => {
      const conn = connect(socket);
      let answer = '';
      conn.on('connect', () => conn.end(`${line}\n`));
      conn.on('data', (chunk) => {
        answer += chunk;
      });
      conn.on('end', () => resolve(answer));
      conn.on('error', reject);
    });

  const states = async () => {
    const csv = await command('show stat');
    const lines = csv.split('\n');
    const header = lines[0].replace(/^# /, '').split(',');
    const [px, sv, status] = ['pxname', 'svname', 'status'].map((name) => header.indexOf(name));
    const result: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const fields = line.split(',');
      if (fields[px] === 'servers' && !['FRONTEND', 'BACKEND'].includes(fields[sv]))
        result[fields[sv]] = fields[status];
    }
    return result;
  };

  const balancer: Balancer = {
    url: `http://127.0.0.1:${port}`,
    port,
    command,
    states,
    async setState(backend, state) {
      const answer = await command(`set server servers/${backend} state ${state}`);
      if (answer.trim()) throw new Error(`haproxy refused "${state}" for ${backend}: ${answer.trim()}`);
    },
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${out}`);
    const now = await states().catch(() => ({}) as Record<string, string>);
    if (options.backends.every((b) => now[b.name] === 'UP')) return balancer;
    if (Date.now() > deadline) {
      await balancer.stop();
      throw new Error(`haproxy did not see every server UP within 30 s (${JSON.stringify(now)}):\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
