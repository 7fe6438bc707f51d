// The runner's own client (src/runner/client.ts) against a real server: the request that carries a
// job's last log batch together with its completion.
import { afterAll, describe, expect, it } from 'vitest';
import { isRefusedLogBatch, RunnerApiError, RunnerClient } from '../../src/runner/client.js';
import { queueExtension } from '../../src/server/queue/extension.js';
import { startTestServer } from '../helpers/server.js';
import { bmf, createRunner, createSpec, createTenant, jobStatus, submit } from './fixtures.js';

const server = await startTestServer({ extensions: [queueExtension({ sweeperTimer: false })] });
const { db } = server.database;
await createSpec(db, 'rc-default', true);
const runner = new RunnerClient({
  serverUrl: server.url,
  key: (await createRunner(server, ['rc-default'])).key,
});
afterAll(() => runner.close());

const once = { attempts: 1 };
const chunk = (seq: number, text: string) => ({ stream: 'STDOUT' as const, seq, data: Buffer.from(text) });

async function runningJob() {
  const job = await submit(server, await createTenant(db, 'ENTERPRISE'));
  const claimed = await runner.claimJob(undefined, 0, once);
  expect(claimed?.id).toBe(job.id);
  await runner.startJob(job.id, once);
  return job;
}

async function storedLog(jobId: string) {
  const rows = await db
    .selectFrom('job_log_chunk')
    .select(['seq', 'data'])
    .where('job_id', '=', jobId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.seq}:${r.data.toString()}`);
}

describe('completeJob with the last log batch', () => {
  it('stores the batch, then completes and processes the job, in one request', async () => {
    const job = await runningJob();
    await runner.appendJobLogs(job.id, [chunk(0, 'first ')], once);
    const outputs = [{ iteration: 0, exitCode: 0, stdout: bmf(5), files: {} }];
    const logs = [chunk(1, 'second '), chunk(2, 'last')];
    expect(await runner.completeJob(job.id, 0, outputs, { ...once, logs })).toEqual({ status: 'PROCESSED' });
    expect(await storedLog(job.id)).toEqual(['0:first ', '1:second ', '2:last']);
    // A retry after a lost answer stores nothing twice and answers the same.
    expect(await runner.completeJob(job.id, 0, outputs, { ...once, logs })).toEqual({ status: 'PROCESSED' });
    expect(await storedLog(job.id)).toHaveLength(3);
  });

  it('does not complete the job when the batch is refused, and says the batch refused it', async () => {
    const job = await runningJob();
    const outputs = [{ iteration: 0, exitCode: 0, stdout: bmf(5), files: {} }];
    const error = await runner
      .completeJob(job.id, 0, outputs, { ...once, logs: [chunk(4, 'after a gap')] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerApiError);
    expect(error).toMatchObject({ code: 'LOG_GAP', extensions: { expectedSeq: 0, argument: 'logs' } });
    expect(isRefusedLogBatch(error)).toBe(true);
    expect((await jobStatus(db, job.id)).status).toBe('RUNNING');
    expect(await storedLog(job.id)).toEqual([]);
    // Without the batch, the completion goes in.
    expect(await runner.completeJob(job.id, 0, outputs, once)).toEqual({ status: 'PROCESSED' });
  });
});
