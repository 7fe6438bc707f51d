import { freePort } from './free-port.js';
import { type ListeningProcess, spawnListening } from './listening-process.js';

/** The machine's NATS (.ci/run starts it), for suites run on the NATS bus. */
export const SHARED_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface OwnNatsServer {
  url: string;
  port: number;
  /** The running nats-server's process id (null while killed); it dies with the process that started it. */
  pid(): number | null;
  /** SIGKILL: clients see the connection drop. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** A nats-server process of the test's own, that the test may kill and restart; killed after the file. */
export async function startOwnNatsServer(): Promise<OwnNatsServer> {
  const server = await ownNatsServer();
  // Imported here, not at the top: ownNatsServer also serves scripts that run outside vitest.
  const { afterAll } = await import('vitest');
  afterAll(() => server.kill());
  return server;
}

/** Like startOwnNatsServer, for a caller that kills it itself. */
export async function ownNatsServer(): Promise<OwnNatsServer> {
  const port = await freePort();
  let running: ListeningProcess | null = null;
  const server: OwnNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: () => running?.child.pid ?? null,
    start: async () => {
      running = await spawnListening({
        command: 'nats-server',
        args: ['-a', '127.0.0.1', '-p', String(port)],
        port,
        timeoutMs: 10_000,
        hint: 'is the nats-server package installed?',
      });
    },
    kill: async () => {
      const stopping = running;
      running = null;
      await stopping?.stop('SIGKILL');
    },
  };
  await server.start();
  return server;
}
