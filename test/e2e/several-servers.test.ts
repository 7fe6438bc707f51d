import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { bmf, type ChaosWorld, chaosWorld, tempDir } from '../chaos/fixtures.js';
import { consoleDist, ensureConsoleBuilt, launchBrowser, screenshot } from '../console/browser.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort } from '../helpers/free-port.js';
import { type Balancer, startHaproxy } from '../helpers/haproxy.js';
import {
  describeProcesses,
  killAll,
  type Spawned,
  spawnBenchline,
  startRunnerProcess,
  startServerProcess,
  until,
} from '../helpers/processes.js';
import { startS3Server } from '../helpers/s3-server.js';

// Issue #22 §2: three `benchline server` processes on one PostgreSQL and one S3 blob store (moto,
// test/helpers/s3-server.ts), behind Debian's haproxy; runners, the CLI, skopeo and the console
// reach them only through it.

const run = promisify(execFile);
const SERVERS = ['s1', 's2', 's3'];
// Long enough that a job whose heartbeats were held by the killed server is never failed for it:
// the runner's next heartbeat lands on another server.
const serverEnv = { BENCHLINE_HEARTBEAT_TIMEOUT: '30', BENCHLINE_SWEEP_INTERVAL_MS: '200' };
const TICKS = 40;
// Each tick waits, so the job is still running when the server dies even on a loaded machine.
const SCRIPT = `echo before
i=0
while [ $i -lt ${TICKS} ]; do echo "tick $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.25; done
echo '${bmf('balanced', 7)}' > /tmp/r.json
echo after
`;
const ticks = Array.from({ length: TICKS }, (_, i) => i);
const EXPECTED_STDOUT = `before\n${ticks.map((i) => `tick ${i}\n`).join('')}after\n`;
const EXPECTED_STDERR = ticks.map((i) => `err ${i}\n`).join('');

let tmp: Awaited<ReturnType<typeof tempDir>>;
let database: TestDatabase;
let balancer: Balancer | undefined;
let browser: Browser | undefined;
let stopS3: (() => Promise<void>) | undefined;
const servers = new Map<string, Spawned>();

beforeAll(async () => {
  tmp = await tempDir('benchline-several-');
  database = await createTestDatabase();
  await Promise.all([ensureConsoleBuilt(), (async () => (browser = await launchBrowser()))()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await balancer?.stop();
  await killAll();
  await stopS3?.();
  await tmp?.remove();
});

/** Chunks as the console shows them: one span per chunk, its seq, stream and text. */
async function consoleChunks(page: Page) {
  return page.locator('[data-testid=log] [data-seq]').evaluateAll((els) =>
    els.map((e) => ({
      seq: Number(e.getAttribute('data-seq')),
      stream: e.className === 'stderr' ? 'STDERR' : 'STDOUT',
      text: e.textContent ?? '',
    })),
  );
}

async function storedChunks(jobId: string) {
  const rows = await database.db
    .selectFrom('job_log_chunk')
    .select(['seq', 'stream', 'data'])
    .where('job_id', '=', jobId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ seq: r.seq, stream: r.stream, text: Buffer.from(r.data).toString() }));
}

describe('several servers behind haproxy, tested as one (issue #22 §2)', () => {
  it('a server SIGKILLed mid-job loses nothing: the job completes, live views reconnect with every chunk, the image still pulls', async () => {
    // A test timeout on a loaded machine then says how far it got, and in how long.
    const started = Date.now();
    let phase = 'starting S3 and the servers';
    const step = (next: string) => {
      phase = `${next} (at ${((Date.now() - started) / 1000).toFixed(1)} s)`;
    };
    onTestFailed(() => {
      console.error(`several servers: failed while ${phase}\n${describeProcesses([...servers.values()])}`);
    });
    const s3 = await startS3Server();
    stopS3 = () => s3.stop();
    const lbPort = await freePort();
    const ports = await Promise.all(SERVERS.map(() => freePort()));
    await Promise.all(
      SERVERS.map(async (name, i) => {
        const server = await startServerProcess(name, {
          port: ports[i],
          databaseUrl: database.url,
          dataDir: join(tmp.dir, `data-${name}`),
          env: {
            ...serverEnv,
            // What every server must share: the database, the blob store and the public URL that
            // registry tokens, upload locations and runners' image references are made from.
            ...s3.env,
            BENCHLINE_PUBLIC_URL: `http://127.0.0.1:${lbPort}`,
            BENCHLINE_TRUSTED_PROXIES: '127.0.0.1',
            BENCHLINE_CONSOLE_DIR: consoleDist,
          },
        });
        servers.set(name, server);
      }),
    );
    step('starting haproxy');
    const lb = await startHaproxy({
      dir: tmp.dir,
      port: lbPort,
      backends: SERVERS.map((name, i) => ({ name, port: ports[i] })),
    });
    balancer = lb;
    const all = () => [...servers.values()];
    const failWith = (error: unknown) => {
      throw new Error(`${String(error)}\n${describeProcesses(all())}\n--- haproxy ---\n${lb.output()}`);
    };

    // Round-robin really spreads requests over the three.
    const answered = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${lb.url}/healthz`);
      expect(res.status).toBe(200);
      answered.add(res.headers.get('x-benchline-backend') ?? '');
    }
    expect([...answered].sort()).toEqual(SERVERS);

    // Everything below goes through the balancer: setup, the skopeo push (its upload session's
    // POST, PATCHes and PUT land on different servers), the runners, the CLI and the browser.
    step('setting up through the balancer');
    const world: ChaosWorld = await chaosWorld({
      dir: tmp.dir,
      url: lb.url,
      databaseUrl: database.url,
      runners: 2,
    });
    step('pushing the image and starting runners');
    const [image, ...runners] = await Promise.all([
      world.push(SCRIPT),
      ...world.runnerKeys.map((key, i) =>
        startRunnerProcess(`runner-${i}`, {
          serverUrl: lb.url,
          key,
          workDir: join(tmp.dir, `runner-${i}`),
        }),
      ),
    ] as const);
    const everything = () => [...all(), ...runners];

    // The live views must sit on the server that dies, so they open while s2 and s3 take no new
    // connections (haproxy's drain: what an operator uses before maintenance); then all three
    // are in the rotation again and s1 is killed.
    await lb.setState('s2', 'drain');
    await lb.setState('s3', 'drain');
    const jobId = await world.submit(image, ['/tmp/r.json']);
    const cli = spawnBenchline('cli-follow', ['job', 'logs', '--follow', jobId, '--host', lb.url], {
      BENCHLINE_TOKEN: world.adminToken,
    });
    const context = await browser!.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript((t) => localStorage.setItem('benchline.token', t), world.adminToken);
    const page = await context.newPage();
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => sockets.push(ws));
    step('opening the live views');
    await page.goto(`${lb.url}/projects/${world.project}/jobs/${jobId}`);
    await until('both live views to show tick 2', async () => {
      if (cli.child.exitCode !== null) throw new Error(`the CLI exited early:\n${cli.output()}`);
      const shown = (await consoleChunks(page)).map((c) => c.text).join('');
      return (
        cli.stdout().includes('tick 2\n') && cli.stderr().includes('running on') && shown.includes('tick 2\n')
      );
    }).catch(failWith);
    await lb.setState('s2', 'ready');
    await lb.setState('s3', 'ready');

    const seenBeforeKill = (await storedChunks(jobId)).length;
    expect(seenBeforeKill).toBeLessThan(2 * TICKS);
    expect(sockets.length).toBe(1);
    step('killing s1');
    await servers.get('s1')!.kill('SIGKILL');

    // haproxy's health checks take s1 out; the rest of the job's calls land on s2 and s3.
    await until('haproxy to mark s1 DOWN', async () => (await lb.states()).s1 === 'DOWN', 30_000).catch(
      failWith,
    );

    step('waiting for the job');
    const job = await world.finished(jobId, everything(), 90_000);
    expect(job).toMatchObject({ status: 'PROCESSED', exitCode: 0, failureReason: null });
    const log = await world.log(jobId);
    expect(log.stdout).toBe(EXPECTED_STDOUT);
    expect(log.stderr).toBe(EXPECTED_STDERR);

    // The CLI reconnected (its sockets were on s1) and printed every byte, stdout exactly.
    step('waiting for the CLI');
    const cliExit = await Promise.race([
      cli.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000)),
    ]);
    expect(cliExit, cli.output()).toBe(0);
    expect(cli.stdout()).toBe(EXPECTED_STDOUT);
    // stderr also carries the status lines; without them it is the job's stderr, whole.
    const statusLine = /^\[\s*[\dhms.]+\] .*\n/gm;
    expect(cli.stderr().replace(statusLine, '')).toBe(EXPECTED_STDERR);

    // The console dropped its socket with s1, opened another through the balancer, and shows
    // every chunk once, in order, as stored.
    step('reading the console');
    await page
      .locator('[data-testid=job-state] [data-testid=job-status]', { hasText: 'PROCESSED' })
      .waitFor({ timeout: 30_000 });
    const stored = await storedChunks(jobId);
    await until('the console to show every chunk', async () => {
      return (await consoleChunks(page)).length === stored.length;
    }).catch(failWith);
    expect(await consoleChunks(page)).toEqual(stored);
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(sockets[0].isClosed()).toBe(true);
    await screenshot(page, 'several-servers-job');
    await context.close();

    // The image still pulls through the balancer: skopeo reads the manifest and every blob…
    step('pulling the image');
    const name = image.split('/')[1].split(':')[0];
    const pushed = (await readFile(join(tmp.dir, `${name}.digest`), 'utf8')).trim();
    const pulledDigest = join(tmp.dir, 'pulled.digest');
    await run('skopeo', [
      'copy',
      '--quiet',
      '--insecure-policy',
      '--src-tls-verify=false',
      '--src-creds',
      `admin:${world.adminToken}`,
      '--digestfile',
      pulledDigest,
      `docker://${new URL(lb.url).host}/${image}`,
      `oci:${join(tmp.dir, 'pulled')}:v1`,
    ]);
    expect((await readFile(pulledDigest, 'utf8')).trim()).toBe(pushed);
    // Its blobs are objects in the one bucket every server reads, not files on some server's disk.
    const manifest = JSON.parse(
      await readFile(join(tmp.dir, 'pulled', 'blobs', 'sha256', pushed.slice('sha256:'.length)), 'utf8'),
    ) as { config: { digest: string }; layers: Array<{ digest: string }> };
    const listing = await (await fetch(`${s3.endpoint}/${s3.bucket}?list-type=2`)).text();
    for (const blob of [manifest.config, ...manifest.layers])
      expect(listing).toContain(blob.digest.slice('sha256:'.length));
    // A layer's download is sent on to the store: pulls do not pass through the servers.
    const layer = await fetch(`${lb.url}/v2/${image.split(':')[0]}/blobs/${manifest.layers[0].digest}`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${world.adminToken}`).toString('base64')}` },
      redirect: 'manual',
    });
    expect(layer.status).toBe(307);
    expect(layer.headers.get('location')).toMatch(new RegExp(`^${s3.endpoint}/`));

    // …and a runner that never had it pulls it for a new job: the one that ran the first job
    // stops, the other claims.
    step('running a second job');
    const ran = await world.admin.data<{ job: { runner: { name: string } } }>(
      'query ($id: UUID!) { job(id: $id) { runner { name } } }',
      { id: jobId },
    );
    const index = Number(ran.job.runner.name.split('-').at(-1));
    await runners[index].kill('SIGTERM');
    // The same image, told to skip the ticks.
    const short = await world.admin.data<{ createRun: { job: { id: string } } }>(
      'mutation ($input: CreateRunInput!) { createRun(input: $input) { job { id } } }',
      {
        input: {
          project: world.project,
          testbed: 'chaos',
          adapter: 'json',
          job: { spec: world.spec, image, cmd: ['/bin/sh', '-c', `echo '${bmf('again', 1)}'`] },
        },
      },
    );
    const next = short.createRun.job.id;
    const second = await world.finished(next, everything(), 90_000);
    expect(second, describeProcesses(everything())).toMatchObject({ status: 'PROCESSED' });
    const other = await world.admin.data<{ job: { runner: { name: string } } }>(
      'query ($id: UUID!) { job(id: $id) { runner { name } } }',
      { id: next },
    );
    expect(other.job.runner.name).not.toBe(ran.job.runner.name);

    const stuck = await database.db
      .selectFrom('job')
      .select(['id', 'status'])
      .where('status', 'in', ['PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED'])
      .execute();
    expect(stuck).toEqual([]);
  }, 240_000);
});
