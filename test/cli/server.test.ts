import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { login } from '../../src/cli/actions/auth.js';
import { createApiClient } from '../../src/cli/api/client.js';
import { configPath, resolveConnection } from '../../src/cli/api/config.js';
import { buildRunPlan } from '../../src/cli/run/args.js';
import { executeRun, exitCodeFor } from '../../src/cli/run/execute.js';
import type { RunEvent } from '../../src/cli/run/types.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Top-level, so that skipIf below sees whether the server has createRun yet.
const server: TestServer = await startTestServer();
const { __type } = await server.client().data('{ __type(name: "Mutation") { fields { name } } }');
const hasCreateRun: boolean = __type.fields.some((f: { name: string }) => f.name === 'createRun');

const bmf = (value: number) => `printf '{"sort/1000": {"latency": {"value": ${value}}}}'`;

describe('auth login', () => {
  it('checks the token with the server and saves it readable only by the user', async () => {
    const home = await mkdtemp(join(tmpdir(), 'benchline-cli-'));
    process.env.XDG_CONFIG_HOME = home;
    try {
      await login({ host: server.url, token: server.adminToken }, async () => '');
      const path = configPath();
      expect(path).toBe(join(home, 'benchline', 'config.json'));
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
        host: server.url,
        token: server.adminToken,
      });
      expect(await resolveConnection({}, { XDG_CONFIG_HOME: home })).toMatchObject({
        host: server.url,
        token: server.adminToken,
        tokenSource: 'config',
      });
      await expect(login({ host: server.url, token: 'bl_wrong' }, async () => '')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    } finally {
      delete process.env.XDG_CONFIG_HOME;
    }
  });
});

describe('local run against a real server', () => {
  it.skipIf(!hasCreateRun)(
    'runs the command, submits its output and shows results, alerts and exit code',
    async () => {
      const project = `cli-local-${Date.now().toString(36)}`;
      const connection = { host: server.url, token: null, tokenSource: 'none' as const };
      const deps = (events: RunEvent[]) => ({
        client: createApiClient(connection),
        connection,
        emit: (e: RunEvent) => events.push(e),
      });
      const flags = {
        project,
        adapter: 'json',
        iter: '2',
        fold: 'max',
        thresholdMeasure: ['latency'],
        thresholdTest: ['static'],
        thresholdUpperBoundary: ['150'],
      };

      const events: RunEvent[] = [];
      const summary = await executeRun(buildRunPlan([bmf(100)], flags), deps(events));
      expect(summary.outcome).toBe('ok');
      expect(events.filter((e) => e.type === 'local-iteration')).toHaveLength(2);
      expect(events.filter((e) => e.type === 'log').map((e) => (e as { text: string }).text)[0]).toContain(
        'sort/1000',
      );
      const [first] = summary.results!.rows;
      expect(first).toMatchObject({
        benchmark: 'sort/1000',
        measure: 'Latency',
        value: 100,
        upperLimit: 150,
        alert: null,
      });
      expect(summary.results!.url).toBe(`${server.url}/projects/${project}/reports/${summary.reportId}`);
      expect(exitCodeFor(summary, true)).toBe(0);

      const second = await executeRun(buildRunPlan([bmf(200)], flags), deps([]));
      const alerted = second.results!.rows.find((r) => r.alert);
      expect(alerted).toMatchObject({ value: 200, upperLimit: 150, alert: { side: 'UPPER' } });
      expect(alerted!.history.length).toBeGreaterThanOrEqual(2);
      expect(exitCodeFor(second, false)).toBe(0);
      expect(exitCodeFor(second, true)).toBe(1);
    },
  );

  it.skipIf(!hasCreateRun)('fails with a message when the benchmark command fails', async () => {
    const connection = { host: server.url, token: null, tokenSource: 'none' as const };
    const plan = buildRunPlan(['exit 3'], { project: 'cli-fails', adapter: 'json' });
    await expect(
      executeRun(plan, { client: createApiClient(connection), connection, emit: () => {} }),
    ).rejects.toThrow(/exited with code 3/);
  });
});
