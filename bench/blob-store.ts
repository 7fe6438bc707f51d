// Object storage for blobs and logs (docs/operations.md, "Blob storage"), against the S3-compatible
// server itself measured in the same run (moto_server, test/helpers/s3-server.ts, on loopback):
// - push: a 64 MiB layer through /v2 (monolithic POST; the server hashes it on the way and publishes
//   it) vs the AWS SDK's own multipart Upload of the same bytes straight into the store. Goal ≥ 0.7×.
// - pull: GET /v2/…/blobs/<digest> answered by a 307 and followed to the store vs a GET of the
//   pre-signed URL alone: what the redirect costs. Goal ≥ 0.9×. And the bytes the API server itself
//   sends per pull: 0 on object storage vs the whole layer on the disk store.
// - log archival: chunks moved per second (read, gzip, put, delete) vs only reading the same rows
//   (the floor of any archiver), and the compression it gets on typical benchmark output.
// Rounds: ROUNDS (3); best and spread (min–max) of each. Run with `npx tsx bench/blob-store.ts`.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Upload } from '@aws-sdk/lib-storage';
import { archiveJobLogs } from '../src/server/logs/archive-job-logs.js';
import { parseBlobStoreUrl } from '../src/server/registry/blob-store-url.js';
import { FsBlobStore } from '../src/server/registry/fs-blob-store.js';
import { S3BlobStore } from '../src/server/registry/s3-blob-store.js';
import { sha256 } from '../test/helpers/oci-image.js';
import { startS3Server } from '../test/helpers/s3-server.js';
import { createSpec, createTenant, insertPendingJobs } from '../test/queue/fixtures.js';
import { startRegistryBenchServer } from './_registry-server.js';
import { type Figure, scratchDatabase } from './_shared.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const LAYER_BYTES = Number(process.env.LAYER_MB ?? 64) * 1024 * 1024;
const LOG_CHUNKS = Number(process.env.LOG_CHUNKS ?? 20_000);

const timed = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
};
const pieces = (data: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += 1 << 20) yield data.subarray(i, i + (1 << 20));
    })(),
  );
/** The median of the per-round ratios: each round's pair ran back to back, so load swings cancel. */
const pairedMedian = (ours: number[], anchor: number[]) => {
  const ratios = ours.map((v, i) => v / anchor[i]).sort((a, b) => a - b);
  return ratios[Math.floor(ratios.length / 2)];
};
const spread = (values: number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;

async function drain(response: Response): Promise<number> {
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return bytes;
}

export async function run(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'benchline-bench-blobs-'));
  const s3 = await startS3Server();
  const dbs = [await scratchDatabase('benchline_bench'), await scratchDatabase('benchline_bench')];
  const store = new S3BlobStore({
    ...parseBlobStoreUrl(s3.url)!,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const ours = await startRegistryBenchServer(dbs[0].url, { blobDir: '/nonexistent', store });
  const disk = await startRegistryBenchServer(dbs[1].url, {
    blobDir: '/nonexistent',
    store: new FsBlobStore(join(dir, 'disk')),
  });
  try {
    const push = { ours: [] as number[], anchor: [] as number[] };
    const pull = { ours: [] as number[], anchor: [] as number[] };
    let serverBytes = { s3: 0, disk: 0 };
    const mb = LAYER_BYTES / 1e6;
    for (let round = 0; round < ROUNDS; round++) {
      const layer = randomBytes(LAYER_BYTES);
      const digest = sha256(layer);
      const pushOurs = async () => {
        const response = await fetch(`${ours.server.url}/v2/bench/layers/blobs/uploads/?digest=${digest}`, {
          method: 'POST',
          headers: { ...ours.auth, 'content-type': 'application/octet-stream' },
          body: pieces(layer) as unknown as BodyInit,
          duplex: 'half',
        } as RequestInit);
        if (response.status !== 201) throw new Error(`push answered ${response.status}`);
      };
      const pushAnchor = () =>
        new Upload({
          client: store.client,
          params: { Bucket: s3.bucket, Key: `anchor/${round}`, Body: pieces(layer) },
          partSize: 8 * 1024 * 1024,
          queueSize: 2,
        }).done();
      // Alternate the order so neither side always runs on a warmer machine.
      const order = round % 2 ? [pushAnchor, pushOurs] : [pushOurs, pushAnchor];
      const times = [await timed(order[0]), await timed(order[1])];
      const [oursTime, anchorTime] = round % 2 ? [times[1], times[0]] : times;
      push.ours.push(mb / oursTime);
      push.anchor.push(mb / anchorTime);

      const blobUrl = `${ours.server.url}/v2/bench/layers/blobs/${digest}`;
      const signed = (await store.downloadUrl(digest, 300))!;
      let got = 0;
      const pullOurs = async () => {
        got = await drain(await fetch(blobUrl, { headers: ours.auth }));
      };
      const pullAnchor = async () => {
        await drain(await fetch(signed));
      };
      const pulls = round % 2 ? [pullAnchor, pullOurs] : [pullOurs, pullAnchor];
      const pullTimes = [await timed(pulls[0]), await timed(pulls[1])];
      const [oursPull, anchorPull] = round % 2 ? [pullTimes[1], pullTimes[0]] : pullTimes;
      if (got !== LAYER_BYTES) throw new Error(`pulled ${got} bytes, not ${LAYER_BYTES}`);
      pull.ours.push(mb / oursPull);
      pull.anchor.push(mb / anchorPull);

      if (round === 0) {
        // What the API server itself sends for one pull, on each store.
        const redirected = await fetch(blobUrl, { headers: ours.auth, redirect: 'manual' });
        const onS3 = await drain(redirected);
        await fetch(`${disk.server.url}/v2/bench/layers/blobs/uploads/?digest=${digest}`, {
          method: 'POST',
          headers: disk.auth,
          body: layer,
        });
        const onDisk = await drain(
          await fetch(`${disk.server.url}/v2/bench/layers/blobs/${digest}`, { headers: disk.auth }),
        );
        serverBytes = { s3: onS3, disk: onDisk };
      }
    }

    // Log archival on the S3 store: LOG_CHUNKS chunks of benchmark-like output per job.
    const db = ours.server.deps.db;
    const tenant = await createTenant(db, 'TEAM');
    const specId = await createSpec(db, 'bench-spec');
    const archiveRate: number[] = [];
    const readRate: number[] = [];
    let ratio = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const [jobId] = (await insertPendingJobs(db, tenant, specId, 1, { priority: 0 })) as string[];
      let raw = 0;
      for (let seq = 0; seq < LOG_CHUNKS; seq += 1000) {
        const rows = Array.from({ length: Math.min(1000, LOG_CHUNKS - seq) }, (_, i) => {
          const s = seq + i;
          const data = Buffer.from(
            `iteration ${s}: bench_${s % 40} ${(Math.sin(s) * 1e6).toFixed(3)} ns/op ${(s * 7919) % 100003} B/op\n`,
          );
          raw += data.length;
          return { job_id: jobId, seq: s, stream: 'STDOUT', data };
        });
        await db.insertInto('job_log_chunk').values(rows).execute();
      }
      await db
        .updateTable('job')
        .set({ status: 'PROCESSED', finished_at: new Date(Date.now() - 86_400_000) })
        .where('id', '=', jobId)
        .execute();
      const readTime = await timed(() =>
        db.selectFrom('job_log_chunk').selectAll().where('job_id', '=', jobId).orderBy('seq').execute(),
      );
      let bytes = 0;
      const archiveTime = await timed(async () => {
        bytes = (await archiveJobLogs(db, store, { now: new Date(), finishedBefore: new Date() })).bytes;
      });
      archiveRate.push(LOG_CHUNKS / archiveTime);
      readRate.push(LOG_CHUNKS / readTime);
      ratio = raw / bytes;
    }

    const best = (values: number[]) => Math.max(...values);
    return [
      {
        name: `push ${mb.toFixed(0)} MB layer into S3 through /v2 (spread ${spread(push.ours)} vs ${spread(push.anchor)}, paired median ratio ${pairedMedian(push.ours, push.anchor).toFixed(2)})`,
        value: best(push.ours),
        unit: 'MB/s',
        goal: '≥ 0.7× the SDK straight to the store',
        anchor: best(push.anchor),
        anchorName: 'SDK Upload to moto',
        ratio: best(push.ours) / best(push.anchor),
      },
      {
        name: `pull ${mb.toFixed(0)} MB layer via 307 (spread ${spread(pull.ours)} vs ${spread(pull.anchor)}, paired median ratio ${pairedMedian(pull.ours, pull.anchor).toFixed(2)})`,
        value: best(pull.ours),
        unit: 'MB/s',
        goal: '≥ 0.9× the pre-signed URL alone',
        anchor: best(pull.anchor),
        anchorName: 'GET pre-signed URL',
        ratio: best(pull.ours) / best(pull.anchor),
      },
      {
        name: 'bytes the API server sends per layer pull (S3 + 307)',
        value: serverBytes.s3,
        unit: 'B',
        goal: '0: layers bypass the servers',
        anchor: serverBytes.disk,
        anchorName: 'disk store',
        ratio: serverBytes.s3 / serverBytes.disk,
      },
      {
        name: `log archival, ${LOG_CHUNKS} chunks a job, ${ratio.toFixed(1)}× smaller (spread ${spread(archiveRate)} vs ${spread(readRate)})`,
        value: best(archiveRate),
        unit: 'chunks/s',
        goal: '≥ 0.2× reading the rows',
        anchor: best(readRate),
        anchorName: 'SELECT of the rows',
        ratio: best(archiveRate) / best(readRate),
      },
    ];
  } finally {
    await ours.server.stop();
    await disk.server.stop();
    store.destroy();
    await s3.stop();
    for (const db of dbs) await db.drop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    console.log(
      `${f.name}: ${f.value.toFixed(1)} ${f.unit} vs ${f.anchor?.toFixed(1)} ${f.unit} (${f.anchorName}); ratio ${f.ratio?.toFixed(3)} (goal ${f.goal})`,
    );
  }
}
