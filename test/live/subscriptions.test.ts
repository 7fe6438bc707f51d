import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { appendChunks, createJob, setStatus, waitFor } from './fixtures.js';
import { JOB_LOGS, JOB_STATUS, PROJECT_JOBS, subscribe } from './ws-subscription.js';

const a = await startTestServer();
const b = await startTestServer({ database: a.database });
const { db } = a.database;
const clients: Array<{ dispose(): unknown }> = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
});

function ws(server: typeof a, token: string | null = a.adminToken) {
  const client = server.client(token).ws();
  clients.push(client);
  return client;
}

const logs = (server: typeof a, jobId: string, afterSeq?: number, token?: string | null) =>
  subscribe(
    ws(server, token),
    JOB_LOGS,
    { jobId, afterSeq },
    (d) => d.jobLogs as { seq: number; text: string },
  );
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqs = (items: Array<{ seq: number }>) => items.map((c) => c.seq);

describe('jobLogs over graphql-ws', () => {
  it('delivers chunks appended through server A to subscribers on A and B, gapless, joining at any time', async () => {
    const job = await createJob(db);
    await setStatus(db, a.deps.events, job, 'RUNNING');
    const subs = [{ after: -1, sub: logs(b, job.jobId) }];
    let seq = 0;
    for (let batch = 0; seq < 2000; batch++) {
      const n = Math.min(2000 - seq, 1 + ((batch * 5) % 17));
      await appendChunks(db, a.deps.events, job.jobId, seq, n);
      seq += n;
      if (batch === 30) subs.push({ after: -1, sub: logs(a, job.jobId) });
      if (batch === 60) subs.push({ after: 400, sub: logs(b, job.jobId, 400) });
      if (batch === 120) subs.push({ after: seq - 1, sub: logs(b, job.jobId, seq - 1) });
    }
    await waitFor(
      () => subs.every(({ sub }) => sub.items.at(-1)?.seq === 1999),
      'every subscriber at the tail',
    );
    await setStatus(db, a.deps.events, job, 'COMPLETED');
    expect(subs.every(({ sub }) => !sub.completed)).toBe(true);
    await setStatus(db, a.deps.events, job, 'PROCESSED');
    for (const { after, sub } of subs) {
      await sub.done;
      expect(sub.errors).toEqual([]);
      expect(sub.completed).toBe(true);
      expect(seqs(sub.items)).toEqual(range(after + 1, 1999));
    }
    expect(subs[0]?.sub.items[5]?.text).toBe('line 5\n');
  });

  it('resumes with afterSeq after a dropped connection, without a gap or a duplicate', async () => {
    const job = await createJob(db);
    await setStatus(db, a.deps.events, job, 'RUNNING');
    const client = ws(b);
    const first = subscribe(client, JOB_LOGS, { jobId: job.jobId }, (d) => d.jobLogs);
    await appendChunks(db, a.deps.events, job.jobId, 0, 50);
    await waitFor(() => first.items.length >= 20, 'some chunks');
    // The connection drops; the writer goes on meanwhile.
    await client.dispose();
    await appendChunks(db, a.deps.events, job.jobId, 50, 50);
    const last = (first.items.at(-1) as { seq: number }).seq;
    const resumed = logs(b, job.jobId, last);
    await appendChunks(db, a.deps.events, job.jobId, 100, 50);
    await setStatus(db, a.deps.events, job, 'FAILED');
    await resumed.done;
    expect([...seqs(first.items), ...seqs(resumed.items)]).toEqual(range(0, 149));
  });

  it('sends a finished job’s backlog, then completes', async () => {
    const job = await createJob(db);
    await appendChunks(db, a.deps.events, job.jobId, 0, 30, (s) => (s === 3 ? 'caf\u00e9 \xff' : `l${s}`));
    await setStatus(db, a.deps.events, job, 'CANCELED');
    const sub = logs(b, job.jobId, 1);
    await sub.done;
    expect(sub.completed).toBe(true);
    expect(seqs(sub.items)).toEqual(range(2, 29));
    const third = sub.items[1] as unknown as { text: string; dataBase64: string };
    expect(Buffer.from(third.dataBase64, 'base64').toString()).toBe('caf\u00e9 \xff');
    expect(third.text).toBe('caf\u00e9 \xff');
  });

  it('answers NOT_FOUND for an unknown job', async () => {
    const sub = logs(a, '00000000-0000-4000-8000-000000000000');
    await sub.done;
    expect(sub.errors).toEqual(['NOT_FOUND']);
  });
});

describe('access', () => {
  it('hides a private project’s job from anonymous callers and shows it to the admin', async () => {
    const job = await createJob(db, { visibility: 'PRIVATE' });
    await appendChunks(db, a.deps.events, job.jobId, 0, 3);
    await setStatus(db, a.deps.events, job, 'PROCESSED');
    for (const query of [JOB_LOGS, JOB_STATUS]) {
      const anonymous = subscribe(ws(a, null), query, { jobId: job.jobId }, (d) => d);
      await anonymous.done;
      expect(anonymous.errors).toEqual(['NOT_FOUND']);
    }
    const hidden = subscribe(ws(a, null), PROJECT_JOBS, { project: job.projectSlug }, (d) => d);
    await hidden.done;
    expect(hidden.errors).toEqual(['NOT_FOUND']);
    const admin = logs(a, job.jobId, undefined, a.adminToken);
    await admin.done;
    expect(seqs(admin.items)).toEqual([0, 1, 2]);
  });

  it('lets anonymous callers follow a public project’s job', async () => {
    const job = await createJob(db, { visibility: 'PUBLIC' });
    await appendChunks(db, a.deps.events, job.jobId, 0, 3);
    await setStatus(db, a.deps.events, job, 'PROCESSED');
    const sub = logs(b, job.jobId, undefined, null);
    await sub.done;
    expect(sub.errors).toEqual([]);
    expect(seqs(sub.items)).toEqual([0, 1, 2]);
  });
});

describe('jobStatus and projectJobs', () => {
  it('follows a job from PENDING to PROCESSED across servers', async () => {
    const job = await createJob(db);
    const status = subscribe(ws(b), JOB_STATUS, { jobId: job.jobId }, (d) => d.jobStatus.status as string);
    const project = subscribe(ws(b), PROJECT_JOBS, { project: job.projectSlug }, (d) => d.projectJobs);
    await waitFor(() => status.items.length === 1, 'the current state');
    await waitFor(() => b.http !== undefined && project.items.length === 0, 'the project subscription');
    for (const next of ['CLAIMED', 'RUNNING', 'COMPLETED']) {
      await setStatus(db, a.deps.events, job, next);
      await waitFor(() => status.items.at(-1) === next, next);
    }
    await setStatus(db, a.deps.events, job, 'PROCESSED');
    await status.done;
    expect(status.items).toEqual(['PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED', 'PROCESSED']);
    await waitFor(() => project.items.at(-1)?.status === 'PROCESSED', 'the project stream');
    expect(project.items.every((j: { id: string }) => j.id === job.jobId)).toBe(true);
    project.stop();
  });

  it('serves a subscription over SSE too', async () => {
    const job = await createJob(db);
    await setStatus(db, a.deps.events, job, 'FAILED');
    const res = await fetch(`${a.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: JOB_STATUS, variables: { jobId: job.jobId } }),
    });
    const text = await res.text();
    expect(text).toContain('"status":"FAILED"');
    expect(text).toContain('event: complete');
  });
});
