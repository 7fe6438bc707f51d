import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import type { BusEvent } from '../../src/server/events/bus.js';
import { connectEventBus } from '../../src/server/events/connect.js';
import { NatsEventBus } from '../../src/server/events/nats.js';
import { cancelWaitersFor } from '../../src/server/queue/cancel-waiters.js';
import { claimWaitersFor } from '../../src/server/queue/claim-waiters.js';
import { SHARED_NATS_URL, startOwnNatsServer } from '../helpers/nats-server.js';
import { waitFor } from './fixtures.js';

// A prefix of this file's own, so that other suites on the shared NATS cannot reach these buses.
const url = `${SHARED_NATS_URL}?prefix=t${randomUUID().slice(0, 8)}`;
const a = await NatsEventBus.connect(url, undefined, { lingerMs: 50 });
const b = await NatsEventBus.connect(url, undefined, { lingerMs: 50 });
afterAll(async () => {
  await a.close();
  await b.close();
});

/** Events b receives from now on. */
function record() {
  const seen: BusEvent[] = [];
  const off = b.subscribe((event) => seen.push(event));
  return { seen, off };
}

/** Publishes on a, then a marker b is known to want, so that "nothing else came" can be asserted. */
async function publishThenMark(events: BusEvent[], seen: BusEvent[]): Promise<void> {
  const marker = randomUUID();
  const interest = b.want({ topic: 'logs', jobId: marker });
  await interest.ready;
  for (const event of events) await a.publish(event);
  await a.publish({ topic: 'logs', jobId: marker, fromSeq: 0, toSeq: 0 });
  await waitFor(() => seen.some((e) => e.topic === 'logs' && e.jobId === marker), 'the marker');
  interest.drop();
}

const job = (jobId: string, projectId: string = randomUUID()): BusEvent => ({
  topic: 'job',
  jobId,
  projectId,
  status: 'RUNNING',
});

describe('NatsEventBus', () => {
  it('delivers to another server only the events of the jobs, projects and specs it wants', async () => {
    const { seen, off } = record();
    const [wantedJob, otherJob, project, spec, otherSpec] = [1, 2, 3, 4, 5].map(() =>
      randomUUID(),
    ) as string[];
    const wants = [
      b.want({ topic: 'job', jobId: wantedJob }),
      b.want({ topic: 'project', projectId: project }),
      b.want({ topic: 'queue', specId: spec }),
    ];
    await Promise.all(wants.map((w) => w.ready));
    const delivered: BusEvent[] = [
      job(wantedJob),
      job(otherJob, project),
      { topic: 'queue', specId: spec },
      { topic: 'queue', specId: null },
    ];
    const withheld: BusEvent[] = [
      job(otherJob),
      { topic: 'logs', jobId: wantedJob, fromSeq: 0, toSeq: 3 },
      { topic: 'queue', specId: otherSpec },
    ];
    await publishThenMark([...withheld, ...delivered], seen);
    expect(seen.filter((e) => !(e.topic === 'logs' && e.fromSeq === 0 && e.toSeq === 0))).toEqual(delivered);
    for (const w of wants) w.drop();
    off();
  });

  it('stops delivering a subject once nobody wants it (after the linger)', async () => {
    const { seen, off } = record();
    const jobId = randomUUID();
    const interest = b.want({ topic: 'logs', jobId });
    await interest.ready;
    expect(b.subjects.some((s) => s.endsWith(jobId))).toBe(true);
    interest.drop();
    interest.drop();
    await waitFor(() => !b.subjects.some((s) => s.endsWith(jobId)), 'the unsubscribe');
    await publishThenMark([{ topic: 'logs', jobId, fromSeq: 0, toSeq: 1 }], seen);
    expect(seen.filter((e) => e.topic === 'logs' && e.jobId === jobId)).toEqual([]);
    off();
  });

  it('keeps a subject while anyone still wants it', async () => {
    const { seen, off } = record();
    const jobId = randomUUID();
    const first = b.want({ topic: 'job', jobId });
    const second = b.want({ topic: 'job', jobId });
    await first.ready;
    first.drop();
    await new Promise((r) => setTimeout(r, 150));
    await publishThenMark([job(jobId)], seen);
    expect(seen.filter((e) => e.topic === 'job' && e.jobId === jobId)).toHaveLength(1);
    second.drop();
    off();
  });

  it('does not let an id with subject syntax route to other subjects', async () => {
    const { seen, off } = record();
    const jobId = randomUUID();
    const interest = b.want({ topic: 'job', jobId });
    await interest.ready;
    await publishThenMark([job('*'), job('>'), job(`x.${jobId}`), job(jobId, '*.>')], seen);
    // Only the last is for the wanted job (its odd project id is encoded, not a wildcard).
    expect(seen.filter((e) => e.topic === 'job')).toEqual([job(jobId, '*.>')]);
    interest.drop();
    off();
  });

  it("wakes a waiting claim on another server for its spec's jobs, and only for them", async () => {
    const [spec, otherSpec] = [randomUUID(), randomUUID()];
    const waiters = claimWaitersFor(b);
    const waiting = waiters.register([spec], 'runner-1');
    const bystander = waiters.register([otherSpec], 'runner-2');
    await Promise.all([waiting.ready, bystander.ready]);
    const woken = waiting.sleep(10_000);
    const notWoken = bystander.sleep(1_000);
    await a.publish({ topic: 'queue', specId: spec });
    expect(await woken).toEqual({ kind: 'event', specId: spec });
    expect(await notWoken).toEqual({ kind: 'timeout' });
  });

  it('answers a held heartbeat on another server when its job is canceled', async () => {
    const jobId = randomUUID();
    const registration = cancelWaitersFor(b).register(jobId);
    await registration.ready;
    await a.publish({ topic: 'job', jobId, projectId: randomUUID(), status: 'RUNNING', cancel: true });
    expect(await registration.woken).toBe('cancel');
  });

  it('reconnects after its NATS server was killed and restarted, then asks for a resync', async () => {
    const own = await startOwnNatsServer();
    const publisher = await NatsEventBus.connect(own.url);
    const listener = await NatsEventBus.connect(own.url);
    try {
      let resyncs = 0;
      listener.onResync(() => resyncs++);
      const seen: BusEvent[] = [];
      listener.subscribe((event) => seen.push(event));
      const jobId = randomUUID();
      await listener.want({ topic: 'job', jobId }).ready;
      await own.kill();
      await own.start();
      await waitFor(() => resyncs >= 1, 'the resync', 30_000);
      // The subscription made before the outage is back: its events arrive again.
      await waitFor(() => {
        void publisher.publish(job(jobId));
        return seen.length > 0;
      }, 'an event after the reconnect');
      expect(seen[0]).toMatchObject({ topic: 'job', jobId });
    } finally {
      await publisher.close();
      await listener.close();
    }
  });

  it('says what to do when the NATS server cannot be reached', async () => {
    const own = await startOwnNatsServer();
    await own.kill();
    await expect(connectEventBus(own.url, 'postgres://unused', undefined)).rejects.toThrow(
      /cannot reach the event bus .*start nats-server there, or unset BENCHLINE_EVENT_BUS/,
    );
  });

  it('rejects a BENCHLINE_EVENT_BUS that is not a nats:// URL, saying what to give', () => {
    expect(() => loadConfig({ BENCHLINE_EVENT_BUS: 'redis://127.0.0.1:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ BENCHLINE_EVENT_BUS: 'nats://h:4222?prefix=a.b' })).toThrow(
      /give nats:\/\/host:4222/,
    );
    expect(loadConfig({ BENCHLINE_EVENT_BUS: 'nats://h:4222' }).eventBus).toBe('nats://h:4222');
    expect(loadConfig({}).eventBus).toBeNull();
  });
});
