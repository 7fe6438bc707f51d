import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveKey } from '../../src/server/logs/archive-job-logs.js';
import { logArchiveExtension } from '../../src/server/logs/extension.js';
import type { BlobStore } from '../../src/server/registry/blob-store.js';
import { openTestBlobStore } from '../helpers/blob-store.js';
import { startTestServer } from '../helpers/server.js';
import { appendChunks, createJob, type JobFixture, setStatus } from './fixtures.js';
import { subscribe } from './ws-subscription.js';

// Finished jobs' logs move into the blob store; jobLogChunks and the jobLogs subscription read them
// back the same, on the disk store and on object storage.
const dir = await mkdtemp(join(tmpdir(), 'benchline-log-archive-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const CHUNKS = `query ($jobId: UUID!, $afterSeq: Int) {
  jobLogChunks(jobId: $jobId, afterSeq: $afterSeq) { seq stream data createdAt }
}`;
const LOGS = `subscription ($jobId: UUID!, $afterSeq: Int) {
  jobLogs(jobId: $jobId, afterSeq: $afterSeq) { seq stream dataBase64 createdAt }
}`;
const DAY = 24 * 3600 * 1000;

describe.each(['disk', 's3'])('log archival on the %s store', (kind) => {
  let store: BlobStore;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let archive: ReturnType<typeof logArchiveExtension>;
  const clients: Array<{ dispose(): unknown }> = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  const setup = async () => {
    if (server) return;
    store = await openTestBlobStore(join(dir, kind), kind);
    archive = logArchiveExtension({ store, timer: false });
    server = await startTestServer({ extensions: [archive] });
  };
  const db = () => server.database.db;

  /** A finished job with `count` chunks, some of them bytes that are not UTF-8, ended `ageMs` ago. */
  async function finishedJob(count: number, ageMs: number, status = 'PROCESSED'): Promise<JobFixture> {
    const job = await createJob(db());
    await setStatus(db(), server.deps.events, job, 'RUNNING');
    for (let seq = 0; seq < count; seq += 500) {
      await appendChunks(db(), server.deps.events, job.jobId, seq, Math.min(500, count - seq), (s) =>
        s % 11 === 0 ? `bin \xff\xfe ${s}` : `line ${s} ${'x'.repeat(s % 300)}\n`,
      );
    }
    await setStatus(db(), server.deps.events, job, status === 'PROCESSED' ? 'COMPLETED' : status);
    if (status === 'PROCESSED') await setStatus(db(), server.deps.events, job, 'PROCESSED');
    await db()
      .updateTable('job')
      .set({ finished_at: new Date(Date.now() - ageMs) })
      .where('id', '=', job.jobId)
      .execute();
    return job;
  }

  async function allChunks(jobId: string, afterSeq = -1) {
    const out: Array<{ seq: number; stream: string; data: string; createdAt: string }> = [];
    let after = afterSeq;
    for (;;) {
      const page = (await server.client(server.adminToken).data(CHUNKS, { jobId, afterSeq: after }))
        .jobLogChunks;
      out.push(...page);
      if (page.length < 1000) return out;
      after = page.at(-1).seq;
    }
  }

  async function replay(jobId: string, afterSeq?: number) {
    const client = server.client(server.adminToken).ws();
    clients.push(client);
    const sub = subscribe(client, LOGS, { jobId, afterSeq }, (d) => d.jobLogs);
    await sub.done;
    expect(sub.errors).toEqual([]);
    expect(sub.completed).toBe(true);
    return sub.items;
  }

  const rowCount = async (jobId: string) =>
    Number(
      (
        await db()
          .selectFrom('job_log_chunk')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('job_id', '=', jobId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('moves a finished job’s log into one object; jobLogChunks and the subscription read it byte for byte', async () => {
    await setup();
    const job = await finishedJob(2345, 2 * DAY);
    const before = await allChunks(job.jobId);
    const streamedBefore = await replay(job.jobId);
    expect(before).toHaveLength(2345);
    expect(Buffer.from(before[11].data, 'base64').equals(Buffer.from('bin \xff\xfe 11'))).toBe(true);

    const result = await archive.sweep();
    expect(result.jobs).toBe(1);
    expect(result.chunks).toBe(2345);
    expect(await rowCount(job.jobId)).toBe(0);
    const row = await db()
      .selectFrom('job')
      .select(['log_archive_key', 'log_archive_bytes', 'log_archive_chunks', 'log_archived_at'])
      .where('id', '=', job.jobId)
      .executeTakeFirstOrThrow();
    expect(row.log_archive_key).toBe(archiveKey(job.jobId));
    expect(row.log_archive_chunks).toBe(2345);
    expect(row.log_archive_bytes).toBe(result.bytes);
    let stored = 0;
    for await (const piece of (await store.getObject(archiveKey(job.jobId))) as Readable)
      stored += piece.length;
    expect(stored).toBe(result.bytes);
    // Compressed well below the raw bytes.
    const raw = before.reduce((sum, c) => sum + Buffer.from(c.data, 'base64').length, 0);
    expect(result.bytes).toBeLessThan(raw / 3);

    expect(await allChunks(job.jobId)).toEqual(before);
    expect(await allChunks(job.jobId, 1499)).toEqual(before.slice(1500));
    expect(await allChunks(job.jobId, 2344)).toEqual([]);
    expect(await replay(job.jobId)).toEqual(streamedBefore);
    expect(await replay(job.jobId, 2000)).toEqual(streamedBefore.slice(2001));

    // Running it again archives nothing twice.
    expect((await archive.sweep()).jobs).toBe(0);
    expect(await allChunks(job.jobId)).toEqual(before);
  });

  it('leaves logs that are not due: recent, unprocessed or still running', async () => {
    await setup();
    const recent = await finishedJob(10, 60_000);
    const unprocessed = await finishedJob(10, 2 * DAY, 'COMPLETED');
    const running = await createJob(db());
    await setStatus(db(), server.deps.events, running, 'RUNNING');
    await appendChunks(db(), server.deps.events, running.jobId, 0, 10);
    expect((await archive.sweep()).jobs).toBe(0);
    for (const job of [recent, unprocessed, running]) expect(await rowCount(job.jobId)).toBe(10);
  });

  it('keeps the rows when the server dies between writing the object and committing, then finishes', async () => {
    await setup();
    const job = await finishedJob(700, 2 * DAY, 'FAILED');
    const before = await allChunks(job.jobId);
    // A store that writes the object, then "crashes" before the transaction can commit.
    const crashing: BlobStore = Object.create(store, {
      putObject: {
        value: async (key: string, source: Readable) => {
          await store.putObject(key, source);
          throw new Error('power cut');
        },
      },
    });
    const dying = logArchiveExtension({ store: crashing, timer: false });
    const task = await dying.start?.(server.deps, server.http as never);
    await expect(dying.sweep()).rejects.toThrow('power cut');
    await task?.stop();
    expect(await rowCount(job.jobId)).toBe(700);
    expect(await allChunks(job.jobId)).toEqual(before);
    // The next sweep writes the object again and commits.
    expect((await archive.sweep()).jobs).toBeGreaterThanOrEqual(1);
    expect(await rowCount(job.jobId)).toBe(0);
    expect(await allChunks(job.jobId)).toEqual(before);
  });

  it('archives once when several servers sweep at the same time', async () => {
    await setup();
    const jobs = await Promise.all([finishedJob(300, 3 * DAY), finishedJob(300, 3 * DAY, 'CANCELED')]);
    const before = await Promise.all(jobs.map((j) => allChunks(j.jobId)));
    const other = logArchiveExtension({ store, timer: false });
    const task = await other.start?.(server.deps, server.http as never);
    const results = await Promise.all([archive.sweep(), other.sweep(), archive.sweep()]);
    await task?.stop();
    expect(results.reduce((sum, r) => sum + r.jobs, 0)).toBe(2);
    for (const [i, job] of jobs.entries()) {
      expect(await rowCount(job.jobId)).toBe(0);
      expect(await allChunks(job.jobId)).toEqual(before[i]);
      expect(await replay(job.jobId)).toHaveLength(300);
    }
  });

  it('marks a job without output without writing an object', async () => {
    await setup();
    const job = await finishedJob(0, 2 * DAY);
    await archive.sweep();
    const row = await db()
      .selectFrom('job')
      .select(['log_archive_key', 'log_archived_at'])
      .where('id', '=', job.jobId)
      .executeTakeFirstOrThrow();
    expect(row.log_archive_key).toBeNull();
    expect(row.log_archived_at).not.toBeNull();
    expect(await store.getObject(archiveKey(job.jobId))).toBeNull();
    expect(await allChunks(job.jobId)).toEqual([]);
    expect(await replay(job.jobId)).toEqual([]);
  });
});
