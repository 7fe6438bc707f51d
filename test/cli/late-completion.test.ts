import { describe, expect, it } from 'vitest';
import { watchJob } from '../../src/cli/run/remote.js';
import type { RunEvent } from '../../src/cli/run/types.js';
import {
  appendLogs,
  completeLate,
  heartbeatFail,
  markRunning,
  seedJob,
  seedProject,
} from '../console/seed.js';
import { startTestServer } from '../helpers/server.js';

// The default late-completion grace (300 s) is far longer than the test.
const server = await startTestServer();

const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('benchline run following a job failed for a missed heartbeat (issue #20 §4)', () => {
  it('does not stop at FAILED: it follows the job to PROCESSED and shows every chunk', async () => {
    const project = await seedProject(server, 'cli-late-completion', 'PUBLIC');
    const { jobId } = await seedJob(server, project);
    await markRunning(server, project, jobId);
    await appendLogs(server, jobId, [{ seq: 0, stream: 'STDOUT', data: 'tick 0\n' }]);

    const events: RunEvent[] = [];
    let ended = false;
    const watching = watchJob({
      connection: { host: server.url, token: server.adminToken, tokenSource: 'flag' },
      jobId,
      emit: (event) => events.push(event),
    }).finally(() => {
      ended = true;
    });
    const statuses = () => events.flatMap((e) => (e.type === 'status' ? [e.status] : []));
    const logs = () => events.flatMap((e) => (e.type === 'log' ? [e.text] : [])).join('');
    await until('the first chunk', () => logs().includes('tick 0'));

    await heartbeatFail(server, jobId);
    await until('the FAILED status', () => statuses().includes('FAILED'));
    // Still following: the runner behind the dead server may yet complete.
    await appendLogs(server, jobId, [{ seq: 1, stream: 'STDERR', data: 'tick 1\n' }]);
    await until('the chunk sent after the failure', () => logs().includes('tick 1'));
    expect(ended).toBe(false);

    await completeLate(server, jobId, '{"sort": {"latency": {"value": 12.5}}}');
    const last = await watching;
    expect(last.status).toBe('PROCESSED');
    expect(statuses()).toEqual(['RUNNING', 'FAILED', 'PROCESSED']);
    expect(logs()).toBe('tick 0\ntick 1\n');
  }, 60_000);
});
