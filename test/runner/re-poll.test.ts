import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Executor } from '../../src/runner/executors/executor.js';
import { type RunningRunner, startRunner } from '../../src/runner/main.js';

let server: Server | undefined;
let runner: RunningRunner | undefined;
let workDir: string | undefined;
afterEach(async () => {
  await runner?.stop({ graceMs: 0 });
  await new Promise((r) => server?.close(r));
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

it('asks again for work on the connection its empty long-poll came back on', async () => {
  // A server whose every claim comes back empty at once, as a long-poll does when nothing arrives.
  let claims = 0;
  let connections = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      // The runner's only call here is its claim (by persisted id or as text).
      claims++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"claimJob":null}}');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  workDir = await mkdtemp(join(tmpdir(), 'runner-re-poll-'));
  runner = await startRunner({
    serverUrl: `http://127.0.0.1:${port}`,
    key: 'bl_runner_test',
    workDir,
    executor: {} as Executor,
    claimWaitSeconds: 0,
  });
  while (claims < 200) await new Promise((r) => setTimeout(r, 5));
  // Without a turn between an empty answer and the next claim, the pool opens a second socket while
  // the first is still being released, and the runner alternates between the two.
  expect(connections).toBe(1);
});
