// Registry throughput: skopeo pushes and pulls a ~200 MB, four-layer image of random bytes to our
// registry and to Debian's docker-registry (CNCF distribution) in the same run, on loopback.
// Goal: at least 0.8× docker-registry's MB/s both ways. Run with `npx tsx bench/registry.ts`.
//
// It needs PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres),
// skopeo and /usr/bin/docker-registry. Everything it creates (database, temp dirs, processes) is removed.
import { execFile } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Header } from 'tar';
import { freePort } from '../test/helpers/free-port.js';
import { type ListeningProcess, spawnListening } from '../test/helpers/listening-process.js';
import { writeOciManifest } from '../test/helpers/oci-image.js';
import { type RegistryBenchServer, startRegistryBenchServer } from './_registry-server.js';
import { type Figure, scratchDatabase } from './_shared.js';

const exec = promisify(execFile);
const LAYERS = Number(process.env.LAYERS ?? 4);
const LAYER_BYTES = Number(process.env.LAYER_MB ?? 50) * 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const GOAL_RATIO = 0.8;

/** A tar holding one file of random bytes, written straight to the layout's blob dir. */
async function randomLayer(layout: string, index: number): Promise<{ digest: string; size: number }> {
  const temp = join(layout, `layer-${index}.tmp`);
  const out = createWriteStream(temp, { highWaterMark: 1 << 20 });
  const hash = createHash('sha256');
  const write = async (data: Buffer) => {
    hash.update(data);
    if (!out.write(data)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const header = Buffer.alloc(512);
  new Header({
    path: `data-${index}.bin`,
    mode: 0o644,
    size: LAYER_BYTES,
    mtime: new Date(0),
    type: 'File',
  }).encode(header, 0);
  await write(header);
  const chunk = Buffer.alloc(1 << 20);
  for (let written = 0; written < LAYER_BYTES; written += chunk.length) {
    randomFillSync(chunk);
    await write(Buffer.from(chunk.subarray(0, Math.min(chunk.length, LAYER_BYTES - written))));
  }
  await write(Buffer.alloc(((512 - (LAYER_BYTES % 512)) % 512) + 1024));
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  const digest = `sha256:${hash.digest('hex')}`;
  await exec('mv', [temp, join(layout, 'blobs', 'sha256', digest.slice(7))]);
  return { digest, size: 512 + LAYER_BYTES + ((512 - (LAYER_BYTES % 512)) % 512) + 1024 };
}

async function buildImage(layout: string): Promise<number> {
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  const layers = [];
  for (let i = 0; i < LAYERS; i++) layers.push(await randomLayer(layout, i));
  const { config } = await writeOciManifest(
    layout,
    layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l, diffId: l.digest })),
    { tag: 'v1' },
  );
  return layers.reduce((sum, l) => sum + l.size, 0) + config.length;
}

async function startDockerRegistry(dir: string): Promise<{ host: string; process: ListeningProcess }> {
  const port = await freePort();
  const config = join(dir, 'docker-registry.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'docker-registry-data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child = await spawnListening({ command: '/usr/bin/docker-registry', args: ['serve', config], port });
  return { host: `127.0.0.1:${port}`, process: child };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function run(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'benchline-bench-registry-'));
  const scratch = await scratchDatabase('benchline_bench');
  let anchor: ListeningProcess | undefined;
  let ours: RegistryBenchServer | undefined;
  try {
    ours = await startRegistryBenchServer(scratch.url, { blobDir: join(dir, 'ours') });
    const { adminToken } = ours;
    const docker = await startDockerRegistry(dir);
    anchor = docker.process;

    // skopeo keeps a blob-location cache under HOME; a fresh HOME keeps rounds independent.
    const env = { ...process.env, HOME: join(dir, 'home') };
    const skopeo = (...args: string[]) =>
      exec('skopeo', ['--insecure-policy', ...args], { env, maxBuffer: 1 << 24 });
    const best = { ours: { push: 0, pull: 0 }, docker: { push: 0, pull: 0 } };
    let bytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const layout = join(dir, `image-${round}`);
      bytes = await buildImage(layout);
      const targets = [
        { key: 'ours' as const, host: ours.host, creds: ['--dest-creds', `bench:${adminToken}`] },
        { key: 'docker' as const, host: docker.host, creds: [] },
      ];
      if (round % 2) targets.reverse();
      for (const target of targets) {
        const ref = `docker://${target.host}/bench/image-${round}:v1`;
        const push = await timed(() =>
          skopeo('copy', '--dest-tls-verify=false', ...target.creds, `oci:${layout}:v1`, ref),
        );
        const out = join(dir, `pulled-${target.key}-${round}`);
        const pull = await timed(() =>
          skopeo(
            'copy',
            '--src-tls-verify=false',
            ...(target.key === 'ours' ? ['--src-creds', `bench:${adminToken}`] : []),
            ref,
            `oci:${out}:v1`,
          ),
        );
        await rm(out, { recursive: true, force: true });
        best[target.key].push = Math.max(best[target.key].push, bytes / 1e6 / push);
        best[target.key].pull = Math.max(best[target.key].pull, bytes / 1e6 / pull);
      }
      await rm(layout, { recursive: true, force: true });
    }
    const figure = (name: string, value: number, anchorValue: number): Figure => ({
      name: `${name} (${(bytes / 1e6).toFixed(0)} MB, ${LAYERS} layers, skopeo)`,
      value,
      unit: 'MB/s',
      goal: `≥ ${GOAL_RATIO}× docker-registry`,
      anchor: anchorValue,
      anchorName: 'docker-registry',
      ratio: value / anchorValue,
    });
    return [
      figure('push throughput', best.ours.push, best.docker.push),
      figure('pull throughput', best.ours.pull, best.docker.pull),
    ];
  } finally {
    await anchor?.stop('SIGKILL');
    await ours?.server.stop();
    await scratch.drop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await run();
  for (const f of figures) {
    console.log(
      `${f.name}: ${f.value.toFixed(1)} ${f.unit} vs ${f.anchor?.toFixed(1)} ${f.unit} (${f.anchorName}); ratio ${f.ratio?.toFixed(2)} (goal ${f.goal})`,
    );
  }
}
