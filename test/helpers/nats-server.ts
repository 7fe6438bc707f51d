import { type ChildProcess, spawn } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import { afterAll } from 'vitest';
import { freePort } from './free-port.js';

/** The machine's NATS (.ci/run starts it), for suites run on the NATS bus. */
export const SHARED_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface OwnNatsServer {
  url: string;
  port: number;
  /** SIGKILL: clients see the connection drop. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A nats-server process of the test's own, that the test may kill and restart. */
export async function startOwnNatsServer(): Promise<OwnNatsServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const server: OwnNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    start: async () => {
      child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      const until = Date.now() + 10_000;
      while (!(await listening(port))) {
        if (Date.now() > until)
          throw new Error('nats-server did not start (is the nats-server package installed?)');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill: async () => {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
  await server.start();
  afterAll(() => server.kill());
  return server;
}
