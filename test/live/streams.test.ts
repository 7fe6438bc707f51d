import { describe, expect, it } from 'vitest';
import { type BusEvent, type EventBus, Fanout, type Handler } from '../../src/server/events/bus.js';
import { liveHub } from '../../src/server/live/hub.js';
import { jobLogStream } from '../../src/server/live/job-log-stream.js';
import { jobStatusStream } from '../../src/server/live/job-status-stream.js';
import { projectJobsStream } from '../../src/server/live/project-jobs-stream.js';
import { createTestDatabase } from '../helpers/database.js';
import { appendChunks, collect, createJob, setStatus, waitFor } from './fixtures.js';

/** An in-process bus that can lose events and announce a resync, as a reconnecting listener would. */
class TestBus implements EventBus {
  private fanout = new Fanout();
  dropping = false;
  async publish(event: BusEvent): Promise<void> {
    if (this.dropping) return;
    queueMicrotask(() => this.fanout.emit(event));
  }
  subscribe(handler: Handler): () => void {
    return this.fanout.add(handler);
  }
  onResync(handler: () => void): () => void {
    return this.fanout.addResync(handler);
  }
  resync(): void {
    this.fanout.resync();
  }
  get subscribers(): number {
    return this.fanout.size;
  }
  async close(): Promise<void> {}
}

const { db } = await createTestDatabase();

const seqs = (chunks: Array<{ seq: number }>) => chunks.map((c) => c.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('jobLogStream', () => {
  it('delivers every chunk once, in order, to subscribers joining while a writer appends', async () => {
    const bus = new TestBus();
    const job = await createJob(db);
    await setStatus(db, bus, job, 'RUNNING');
    const total = 2000;
    const subscribers: Array<{ afterSeq: number; done: Promise<Array<{ seq: number }>> }> = [];
    const join = (afterSeq: number) =>
      subscribers.push({
        afterSeq,
        done: collect(jobLogStream(db, bus, job.jobId, { afterSeq, pageSize: 37 })),
      });
    join(-1);
    let seq = 0;
    let batch = 0;
    while (seq < total) {
      const n = Math.min(total - seq, 1 + ((batch * 7) % 23));
      await appendChunks(db, bus, job.jobId, seq, n);
      seq += n;
      batch++;
      // Late joiners at different points: from the start, from the middle, from the current tail.
      if (batch === 20) join(-1);
      if (batch === 40) join(150);
      if (batch === 80) join(seq - 1);
      if (batch % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    await setStatus(db, bus, job, 'COMPLETED');
    join(1500);
    await setStatus(db, bus, job, 'PROCESSED');
    join(-1);
    for (const { afterSeq, done } of subscribers) {
      expect(seqs(await done)).toEqual(range(afterSeq + 1, total - 1));
    }
    expect(liveHub(db, bus).stats()).toMatchObject({ jobWatches: 0, logFeeds: 0 });
    expect(bus.subscribers).toBe(0);
  });

  it('sends the backlog of a finished job and completes', async () => {
    const bus = new TestBus();
    const job = await createJob(db);
    await appendChunks(db, bus, job.jobId, 0, 250);
    await setStatus(db, bus, job, 'FAILED');
    const chunks = await collect(jobLogStream(db, bus, job.jobId, { afterSeq: 9 }));
    expect(seqs(chunks)).toEqual(range(10, 249));
    expect(chunks[0]?.data.toString()).toBe('line 10\n');
    expect(await collect(jobLogStream(db, bus, job.jobId, { afterSeq: 249 }))).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown job', async () => {
    const bus = new TestBus();
    const stream = jobLogStream(db, bus, '00000000-0000-4000-8000-000000000000');
    await expect(stream.next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(bus.subscribers).toBe(0);
  });

  it('keeps a slow consumer bounded: it holds one page and the shared window stays capped', async () => {
    const bus = new TestBus();
    const job = await createJob(db);
    await setStatus(db, bus, job, 'RUNNING');
    const slow = jobLogStream(db, bus, job.jobId, { pageSize: 50 });
    const fast = jobLogStream(db, bus, job.jobId, { pageSize: 50 });
    const fastDone = collect(fast);
    await appendChunks(db, bus, job.jobId, 0, 1);
    expect((await slow.next()).value?.seq).toBe(0);
    let maxBuffered = 0;
    for (let seq = 1; seq < 5001; seq += 100) {
      await appendChunks(db, bus, job.jobId, seq, 100, () => 'x'.repeat(200));
      maxBuffered = Math.max(maxBuffered, slow.buffered);
    }
    await waitFor(() => fast.buffered === 0 && liveHub(db, bus).stats().windowChunks > 0, 'the fast reader');
    expect(maxBuffered).toBeLessThanOrEqual(50);
    expect(liveHub(db, bus).stats().windowChunks).toBeLessThanOrEqual(1024);
    await setStatus(db, bus, job, 'CANCELED');
    const rest = await collect(slow);
    expect(seqs(rest)).toEqual(range(1, 5000));
    expect(seqs(await fastDone)).toEqual(range(0, 5000));
  });

  it('catches up after a resync when events were lost', async () => {
    const bus = new TestBus();
    const job = await createJob(db);
    await setStatus(db, bus, job, 'RUNNING');
    const stream = jobLogStream(db, bus, job.jobId);
    const got: number[] = [];
    const done = (async () => {
      for await (const chunk of stream) got.push(chunk.seq);
    })();
    await appendChunks(db, bus, job.jobId, 0, 5);
    await waitFor(() => got.length === 5, 'the first chunks');
    bus.dropping = true;
    await appendChunks(db, bus, job.jobId, 5, 5);
    await new Promise((r) => setTimeout(r, 50));
    expect(got.length).toBe(5);
    bus.dropping = false;
    bus.resync();
    await waitFor(() => got.length === 10, 'the missed chunks');
    await stream.return();
    await done;
    expect(got).toEqual(range(0, 9));
    expect(bus.subscribers).toBe(0);
  });

  it('takes any afterSeq: past the largest seq nothing more comes, and the stream still ends', async () => {
    const bus = new TestBus();
    const job = await createJob(db);
    await appendChunks(db, bus, job.jobId, 0, 3);
    await setStatus(db, bus, job, 'FAILED');
    expect(await collect(jobLogStream(db, bus, job.jobId, { afterSeq: 2_147_483_647 }))).toEqual([]);
    expect((await collect(jobLogStream(db, bus, job.jobId, { afterSeq: 1 }))).map((c) => c.seq)).toEqual([2]);
  });

  it('ends at once when the consumer returns while waiting for output', async () => {
    const bus = new TestBus();
    const job = await createJob(db);
    const stream = jobLogStream(db, bus, job.jobId);
    const pending = stream.next();
    await waitFor(() => bus.subscribers === 1, 'the subscription');
    await new Promise((r) => setTimeout(r, 20));
    await stream.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(bus.subscribers).toBe(0);
  });
});

describe('jobStatusStream', () => {
  it('sends the current state, each change once, and ends at a terminal state', async () => {
    const bus = new TestBus();
    const job = await createJob(db);
    const stream = jobStatusStream(db, bus, job.jobId);
    const statuses: string[] = [];
    const done = (async () => {
      for await (const row of stream) statuses.push(row.status);
    })();
    await waitFor(() => statuses.length === 1, 'the current state');
    for (const status of ['CLAIMED', 'RUNNING', 'COMPLETED']) {
      await setStatus(db, bus, job, status);
      await waitFor(() => statuses.at(-1) === status, status);
    }
    // An event that changed nothing is not a change.
    await bus.publish({ topic: 'job', jobId: job.jobId, projectId: job.projectId, status: 'COMPLETED' });
    await setStatus(db, bus, job, 'PROCESSED');
    await done;
    expect(statuses).toEqual(['PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED', 'PROCESSED']);
    expect(bus.subscribers).toBe(0);
  });

  it('sends a finished job once and completes; an unknown job is NOT_FOUND', async () => {
    const bus = new TestBus();
    const job = await createJob(db);
    await setStatus(db, bus, job, 'CANCELED');
    expect((await collect(jobStatusStream(db, bus, job.jobId))).map((r) => r.status)).toEqual(['CANCELED']);
    await expect(
      jobStatusStream(db, bus, '00000000-0000-4000-8000-000000000000').next(),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('projectJobsStream', () => {
  it('sends changes to the project’s jobs only, and re-reads after a resync', async () => {
    const bus = new TestBus();
    const a = await createJob(db);
    const b = await createJob(db, { tenant: a.tenant });
    const other = await createJob(db);
    const stream = projectJobsStream(db, bus, a.projectId);
    const seen: string[] = [];
    const done = (async () => {
      for await (const row of stream)
        seen.push(`${row.id === a.jobId ? 'a' : row.id === b.jobId ? 'b' : '?'}:${row.status}`);
    })();
    await waitFor(() => liveHub(db, bus).stats().projectListeners === 1, 'the subscription');
    await setStatus(db, bus, a, 'CLAIMED');
    await setStatus(db, bus, other, 'CLAIMED');
    await waitFor(() => seen.length === 1, 'a claimed');
    bus.dropping = true;
    await setStatus(db, bus, b, 'CANCELED');
    bus.dropping = false;
    bus.resync();
    await waitFor(() => seen.includes('b:CANCELED'), 'b after the resync');
    await stream.return();
    await done;
    expect(seen).toEqual(['a:CLAIMED', 'b:CANCELED']);
  });
});
