import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/cli/api/client.js';
import { buildRunPlan } from '../../src/cli/run/args.js';
import { executeRun, exitCodeFor } from '../../src/cli/run/execute.js';
import { cancelJob } from '../../src/cli/run/remote.js';
import type { RunEvent } from '../../src/cli/run/types.js';
import type { RunningRunner } from '../../src/runner/main.js';
import {
  bmf,
  pushImage,
  scriptLayers,
  startWorld,
  startWorldRunner,
  type World,
} from '../runner/fixtures.js';

// `benchline run --image` against a real server, registry and runner: createRun, then jobStatus
// and jobLogs over graphql-ws, then the report; and Ctrl-C's cancelJob.
let world: World;
let runner: RunningRunner;

beforeAll(async () => {
  world = await startWorld();
  runner = await startWorldRunner(world);
}, 120_000);

afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
});

function session() {
  const connection = { host: world.server.url, token: world.server.adminToken, tokenSource: 'flag' as const };
  return { client: createApiClient(connection), connection };
}

describe('run --image', () => {
  it('follows the job through its phases with live logs, then shows the results', async () => {
    const image = await pushImage(
      world,
      scriptLayers(`echo 'warming up' >&2\nsleep 1\necho '${bmf('bench1', 42)}'\n`),
    );
    const events: RunEvent[] = [];
    const plan = buildRunPlan([], {
      project: world.project,
      image,
      adapter: 'json',
      spec: world.specs.closed,
    });
    const summary = await executeRun(plan, { ...session(), emit: (e) => events.push(e) });

    expect(summary.outcome).toBe('ok');
    const statuses = events.flatMap((e) => (e.type === 'status' ? [e.status] : []));
    expect(statuses[0]).toBe('PENDING');
    expect(statuses).toContain('RUNNING');
    expect(statuses.at(-1)).toBe('PROCESSED');
    const logs = events.flatMap((e) => (e.type === 'log' ? [`${e.stream}:${e.text}`] : [])).join('');
    expect(logs).toContain('STDERR:warming up');
    expect(logs).toContain('bench1');
    expect(summary.results!.rows).toMatchObject([{ benchmark: 'bench1', value: 42 }]);
    expect(exitCodeFor(summary, true)).toBe(0);
  }, 120_000);

  it('ends canceled with exit code 1 when the job is canceled while it runs', async () => {
    const image = await pushImage(world, scriptLayers(`echo started\nsleep 3600\n`));
    const { client, connection } = session();
    const plan = buildRunPlan([], {
      project: world.project,
      image,
      adapter: 'json',
      spec: world.specs.closed,
    });
    let canceling: Promise<unknown> | null = null;
    let jobId: string | null = null;
    const summary = await executeRun(plan, {
      client,
      connection,
      emit: (e) => {
        if (e.type === 'submitted') jobId = e.jobId;
        if (e.type === 'log' && e.text.includes('started') && !canceling)
          canceling = cancelJob(client, jobId!);
      },
    });
    await canceling;
    expect(summary.outcome).toBe('canceled');
    expect(summary.message).toMatch(/canceled/i);
    expect(exitCodeFor(summary, false)).toBe(1);
  }, 120_000);
});
