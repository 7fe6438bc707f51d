import { writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRunner } from '../../src/runner/main.js';
import { loadConfig } from '../../src/server/config.js';
import { buildLayer, hostile, opaque, whiteout } from '../helpers/oci-image.js';
import {
  bmf,
  pushImage,
  REPORT,
  scriptLayers,
  startWorld,
  startWorldRunner,
  storedLog,
  submit,
  type World,
  waitForJob,
} from './fixtures.js';

const LOG_CAP = 256 * 1024;

let world: World;
let runner: RunningRunner;

beforeAll(async () => {
  // Two jobs of one organization may run at once, so the runner's concurrency shows.
  const tiers = loadConfig({}).tiers;
  world = await startWorld({ tiers: { ...tiers, FREE: { ...tiers.FREE, concurrency: 2 } } });
  runner = await startWorldRunner(world, { concurrency: 2, logCapBytes: LOG_CAP });
});

afterAll(async () => {
  await runner?.stop({ graceMs: 0 });
});

const text = (b: Buffer) => b.toString('utf8');

describe('runner: jobs end to end', () => {
  it('runs a job for every iteration and the server turns its BMF output into metrics', async () => {
    const image = await pushImage(
      world,
      scriptLayers(`echo 'diagnostics' >&2\necho '${bmf('bench1', 42)}'\n`),
    );
    const { jobId, reportId } = await submit(world, { image }, { iterations: 2 });
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'PROCESSED', exitCode: 0, failureReason: null });
    expect(job.outputs.map((o) => [o.iteration, o.exitCode])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    const report = await world.admin.data(REPORT, { id: reportId });
    const metrics = report.report.results.flatMap((r: any) =>
      r.benchmarks.flatMap((b: any) =>
        b.measures.map((m: any) => [b.benchmark.name, m.measure.slug, m.value]),
      ),
    );
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics).toContainEqual(['bench1', 'latency', 42]);
    const log = await storedLog(world, jobId);
    expect(text(log.stderr)).toBe('diagnostics\ndiagnostics\n');
    expect(text(log.stdout)).toBe(`${bmf('bench1', 42)}\n`.repeat(2));
  });

  it('reports a nonzero exit code', async () => {
    const image = await pushImage(world, scriptLayers('echo failing >&2\nexit 3\n'));
    const { jobId } = await submit(world, { image });
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'FAILED', exitCode: 3, failureReason: 'NONZERO_EXIT' });
    expect(text((await storedLog(world, jobId)).stderr)).toBe('failing\n');
  });

  it('fails a command the image does not have as IMAGE_ERROR, before running anything', async () => {
    const image = await pushImage(world, scriptLayers('echo unused\n'));
    const { jobId } = await submit(world, { image, entrypoint: ['/nope'] });
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'FAILED', failureReason: 'IMAGE_ERROR' });
    expect(job.failureMessage).toContain('no such command in the image: /nope');
    expect(job.exitCode).toBeNull();
  });

  it('applies entrypoint, cmd and env overrides with Docker semantics', async () => {
    const image = await pushImage(world, scriptLayers(''), {
      Entrypoint: ['/bin/echo', 'image-entrypoint'],
      Cmd: ['image-cmd'],
      Env: ['FROM_IMAGE=image', 'SHARED=image', 'PATH=/bin'],
      WorkingDir: '/work',
    });
    // The image's own entrypoint, with the job's cmd replacing the image's.
    const cmdOnly = await submit(world, { image, cmd: [bmf('x', 1)] });
    // A job entrypoint clears the image's cmd; job env wins over image env.
    const script = `echo "$FROM_IMAGE $SHARED $FROM_JOB $(pwd)" >&2; echo '${bmf('y', 2)}'`;
    const full = await submit(world, {
      image,
      entrypoint: ['/bin/sh', '-c', script],
      env: ['SHARED=job', 'FROM_JOB=job'],
    });
    expect((await waitForJob(world, cmdOnly.jobId)).status).toBe('FAILED');
    expect(text((await storedLog(world, cmdOnly.jobId)).stdout)).toBe(`image-entrypoint ${bmf('x', 1)}\n`);
    expect((await waitForJob(world, full.jobId)).status).toBe('PROCESSED');
    expect(text((await storedLog(world, full.jobId)).stderr)).toBe('image job job /work\n');
  });

  it('reads output files after the run and parses them instead of stdout', async () => {
    const image = await pushImage(
      world,
      scriptLayers(`echo not-json\nmkdir -p out && echo '${bmf('from-file', 7)}' > out/results.json\n`),
      { Cmd: ['/bench/run.sh'], WorkingDir: '/bench' },
    );
    const { jobId, reportId } = await submit(world, {
      image,
      filePaths: ['out/results.json'],
    });
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'PROCESSED', failureMessage: null });
    expect(job.outputs[0].files).toEqual({
      'out/results.json': `${bmf('from-file', 7)}\n`,
    });
    const report = await world.admin.data(REPORT, { id: reportId });
    expect(report.report.results[0].benchmarks.map((b: any) => b.benchmark.name)).toEqual(['from-file']);
  });

  it('delivers a result file near the per-file limit, larger than a default GraphQL body', async () => {
    // BMF followed by 24 MiB of spaces: still valid JSON, within the 25 MiB per-file limit, and its
    // completion is over yoga's default body limit of 25 MB.
    const image = await pushImage(
      world,
      scriptLayers(
        `echo '${bmf('big-file', 5)}' > /tmp/r.json\nhead -c 25165824 /dev/zero | tr '\\0' ' ' >> /tmp/r.json\n`,
      ),
    );
    const { jobId, reportId } = await submit(world, { image, filePaths: ['/tmp/r.json'] });
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'PROCESSED', failureMessage: null });
    const report = await world.admin.data(REPORT, { id: reportId });
    expect(report.report.results[0].benchmarks.map((b: any) => b.benchmark.name)).toEqual(['big-file']);
  });

  it('fails a job whose outputs are more than one completion can carry, saying so', async () => {
    // Three files within the 25 MiB per-file limit, 63 MiB together.
    const files = ['/tmp/a', '/tmp/b', '/tmp/c'];
    const image = await pushImage(
      world,
      scriptLayers(files.map((f) => `head -c 22020096 /dev/zero | tr '\\0' x > ${f}\n`).join('')),
    );
    const { jobId } = await submit(world, { image, filePaths: files });
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'FAILED', failureReason: 'RUNNER_ERROR' });
    expect(job.failureMessage).toMatch(
      /outputs come to 63\.0 MiB, more than the 60\.0 MiB.*smaller result files/,
    );
  });

  it('applies whiteouts and opaque directories from later layers', async () => {
    const [base, scriptLayer] = scriptLayers(`ls /data /old >&2\necho '${bmf('w', 1)}'\n`);
    const lower = buildLayer([
      { type: 'dir', path: 'data/' },
      { type: 'file', path: 'data/keep', content: 'k' },
      { type: 'file', path: 'data/gone', content: 'g' },
      { type: 'dir', path: 'old/' },
      { type: 'file', path: 'old/hidden', content: 'h' },
    ]);
    const upper = buildLayer([
      whiteout('data', 'gone'),
      opaque('old'),
      { type: 'file', path: 'old/fresh', content: 'f' },
    ]);
    const image = await pushImage(world, [base, lower, upper, scriptLayer]);
    const { jobId } = await submit(world, { image });
    expect((await waitForJob(world, jobId)).status).toBe('PROCESSED');
    expect(text((await storedLog(world, jobId)).stderr)).toBe('/data:\nkeep\n\n/old:\nfresh\n');
  });

  it('refuses an image with a path-traversal layer (IMAGE_ERROR) and runs nothing of it', async () => {
    const [base, scriptLayer] = scriptLayers(`echo '${bmf('m', 1)}'\n`);
    const evil = buildLayer(hostile.traversal('escaped'));
    const image = await pushImage(world, [base, evil, scriptLayer]);
    const { jobId } = await submit(world, { image });
    const job = await waitForJob(world, jobId);
    expect(job.status).toBe('FAILED');
    expect(job.failureReason).toBe('IMAGE_ERROR');
    expect(job.failureMessage).toMatch(/escaped|travers|\.\./i);
    expect((await storedLog(world, jobId)).all.length).toBe(0);
  });

  it('kills a job that runs past its timeout (JOB_TIMEOUT)', async () => {
    const image = await pushImage(world, scriptLayers('echo started\nsleep 60\necho never\n'));
    const { jobId } = await submit(world, { image, timeout: 2 });
    const job = await waitForJob(world, jobId);
    expect(job.failureReason).toBe('JOB_TIMEOUT');
    expect(job.status).toBe('CANCELED');
    expect(text((await storedLog(world, jobId)).stdout)).toBe('started\n');
  });

  it('stops a canceled job and confirms the cancel', async () => {
    const image = await pushImage(world, scriptLayers('echo started\nsleep 60\necho never\n'));
    const { jobId } = await submit(world, { image });
    await waitForJob(world, jobId, (j) => j.status === 'RUNNING');
    // Canceled only once the workload is visibly running, so the kill is what ends it.
    for (;;) {
      if (text((await storedLog(world, jobId)).stdout) === 'started\n') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await world.admin.data('mutation ($id: UUID!) { cancelJob(id: $id) { id } }', { id: jobId });
    const job = await waitForJob(world, jobId);
    expect(job).toMatchObject({ status: 'CANCELED', failureReason: 'CANCELED_BY_USER' });
    expect(text((await storedLog(world, jobId)).stdout)).toBe('started\n');
  });

  it('caps an output flood with a marker and still completes the job', async () => {
    const image = await pushImage(
      world,
      scriptLayers(`yes flood | head -c ${LOG_CAP * 4}\necho '${bmf('flood', 3)}' > /tmp/r.json\n`),
    );
    const { jobId } = await submit(world, { image, filePaths: ['/tmp/r.json'] });
    expect((await waitForJob(world, jobId)).status).toBe('PROCESSED');
    const log = await storedLog(world, jobId);
    expect(log.stdout.length).toBe(LOG_CAP);
    expect(text(log.stderr)).toContain('output truncated');
  });

  it("gives a network-allowed job a network of its own: the host's loopback and abstract sockets stay out of reach", async () => {
    // The server (with its PostgreSQL, as on the runner) listens on the host's loopback; a host
    // abstract unix socket stands for the likes of a desktop bus.
    const abstract = `benchline-host-${process.pid}`;
    const unix = createNetServer((socket) => socket.end('secret\n'));
    await new Promise<void>((resolve) => unix.listen(`\0${abstract}`, resolve));
    const script = `if echo | nc -w 3 127.0.0.1 "$PORT" 2>/dev/null; then echo NET=open >&2; else echo NET=blocked >&2; fi
if echo | nc -w 3 10.0.2.2 "$PORT" 2>/dev/null; then echo GW=open >&2; fi
if grep -q ${abstract} /proc/net/unix; then echo ABSTRACT=visible >&2; fi
echo '${bmf('n', 1)}'
`;
    const image = await pushImage(world, scriptLayers(script));
    const env = [`PORT=${new URL(world.server.url).port}`];
    const closed = await submit(world, { image, env, spec: world.specs.closed });
    const open = await submit(world, { image, env, spec: world.specs.open });
    expect((await waitForJob(world, closed.jobId)).status).toBe('PROCESSED');
    expect(text((await storedLog(world, closed.jobId)).stderr)).toBe('NET=blocked\n');
    expect((await waitForJob(world, open.jobId)).status).toBe('PROCESSED');
    expect(text((await storedLog(world, open.jobId)).stderr)).toBe('NET=blocked\n');
    await new Promise<void>((resolve) => unix.close(() => resolve()));
  });

  it('runs two jobs at once with concurrency 2', async () => {
    // Each job sleeps long enough that, run one after the other, the second would start only after
    // the first finished. Jobs no longer share a network (each has its own), so the overlap is read
    // from the stored start and finish times rather than from a connection between them.
    const script = `sleep 3\necho '${bmf('overlap', 1)}'\n`;
    const image = await pushImage(world, scriptLayers(script));
    const first = await submit(world, { image, timeout: 30 });
    const second = await submit(world, { image, timeout: 30 });
    expect((await waitForJob(world, first.jobId)).status).toBe('PROCESSED');
    expect((await waitForJob(world, second.jobId)).status).toBe('PROCESSED');
    const [a, b] = await Promise.all(
      [first.jobId, second.jobId].map((id) =>
        world.database.db
          .selectFrom('job')
          .select(['started_at', 'finished_at'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
      ),
    );
    const startA = a.started_at as Date;
    const startB = b.started_at as Date;
    expect(startA.getTime()).toBeLessThan((b.finished_at as Date).getTime());
    expect(startB.getTime()).toBeLessThan((a.finished_at as Date).getTime());
  });

  it('keeps host files out of the sandbox', async () => {
    const secret = join(world.dir, 'host-secret.txt');
    await writeFile(secret, 'secret');
    const script = `for f in "$SECRET" /etc/hostname /usr/bin/node "${process.cwd()}/package.json"; do
  if [ -e "$f" ]; then echo "VISIBLE $f" >&2; fi
done
ls / >&2
echo '${bmf('h', 1)}'
`;
    const image = await pushImage(world, scriptLayers(script));
    const { jobId } = await submit(world, { image, env: [`SECRET=${secret}`] });
    expect((await waitForJob(world, jobId)).status).toBe('PROCESSED');
    const stderr = text((await storedLog(world, jobId)).stderr);
    expect(stderr).not.toContain('VISIBLE');
    expect(stderr.split('\n').filter(Boolean).sort()).toEqual(['bench', 'bin', 'dev', 'etc', 'proc', 'tmp']);
  });
});
