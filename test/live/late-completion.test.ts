import { describe, expect, it } from 'vitest';
import { type BusEvent, type EventBus, Fanout, type Handler } from '../../src/server/events/bus.js';
import { jobLogStream } from '../../src/server/live/job-log-stream.js';
import { jobStatusStream } from '../../src/server/live/job-status-stream.js';
import { createTestDatabase } from '../helpers/database.js';
import { appendChunks, collect, createJob, type JobFixture, setStatus, waitFor } from './fixtures.js';

class Bus implements EventBus {
  private fanout = new Fanout();
  async publish(event: BusEvent): Promise<void> {
    queueMicrotask(() => this.fanout.emit(event));
  }
  subscribe(handler: Handler): () => void {
    return this.fanout.add(handler);
  }
  onResync(handler: () => void): () => void {
    return this.fanout.addResync(handler);
  }
  async close(): Promise<void> {}
}

const { db } = await createTestDatabase();

/** What the sweeper does to a job whose runner went silent (its server died). */
async function heartbeatFailed(bus: EventBus, job: JobFixture) {
  await db
    .updateTable('job')
    .set({ status: 'FAILED', failure_reason: 'HEARTBEAT_TIMEOUT', finished_at: new Date() })
    .where('id', '=', job.jobId)
    .execute();
  await bus.publish({ topic: 'job', jobId: job.jobId, projectId: job.projectId, status: 'FAILED' });
}

describe('streams of a job failed by a missed heartbeat', () => {
  it('stay open through the late-completion grace: the watcher sees the late chunks and the real end', async () => {
    const bus = new Bus();
    const job = await createJob(db);
    await setStatus(db, bus, job, 'RUNNING');
    await appendChunks(db, bus, job.jobId, 0, 8);
    const late = { graceMs: 60_000, now: () => Date.now() };
    const statuses: string[] = [];
    const status = (async () => {
      for await (const row of jobStatusStream(db, bus, job.jobId, late)) statuses.push(row.status);
    })();
    const logs = collect(jobLogStream(db, bus, job.jobId, {}, late));
    await waitFor(() => statuses.includes('RUNNING'), 'RUNNING');
    await heartbeatFailed(bus, job);
    await waitFor(() => statuses.includes('FAILED'), 'FAILED');
    // The runner, alive behind the dead server, retries: the rest of its log, then its completion.
    await appendChunks(db, bus, job.jobId, 8, 73);
    await setStatus(db, bus, job, 'COMPLETED');
    await setStatus(db, bus, job, 'PROCESSED');
    await status;
    expect(statuses).toEqual(['RUNNING', 'FAILED', 'COMPLETED', 'PROCESSED']);
    expect((await logs).map((c) => c.seq)).toEqual(Array.from({ length: 81 }, (_, i) => i));
  });

  it('end when the grace is over and nothing came', async () => {
    const bus = new Bus();
    const job = await createJob(db);
    await setStatus(db, bus, job, 'RUNNING');
    await appendChunks(db, bus, job.jobId, 0, 3);
    await heartbeatFailed(bus, job);
    const late = { graceMs: 300, now: () => Date.now() };
    const [rows, chunks] = await Promise.all([
      collect(jobStatusStream(db, bus, job.jobId, late)),
      collect(jobLogStream(db, bus, job.jobId, {}, late)),
    ]);
    expect(rows.map((r) => r.status)).toEqual(['FAILED']);
    expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2]);
  });

  it('end at once for any other failure, and without a grace', async () => {
    const bus = new Bus();
    const job = await createJob(db);
    await setStatus(db, bus, job, 'FAILED');
    const rows = await collect(
      jobStatusStream(db, bus, job.jobId, { graceMs: 600_000, now: () => Date.now() }),
    );
    expect(rows.map((r) => r.status)).toEqual(['FAILED']);
    const other = await createJob(db);
    await heartbeatFailed(bus, other);
    expect((await collect(jobStatusStream(db, bus, other.jobId))).map((r) => r.status)).toEqual(['FAILED']);
  });
});
