// What a load balancer in front of several servers costs and gives (docs/operations.md, "Behind a
// load balancer"): three `benchline server` processes on one database behind Debian's haproxy with
// the configuration the docs recommend. Anchor: the same requests sent straight to one server in
// the same run. Through haproxy with two servers out of the rotation is the hop's own cost; with
// all three in, the scale-out (on a 2-core machine three servers share the cores one had, so it
// shows what spreading costs there, not what more machines give). Latency is one client's
// sequential requests; throughput is 16 concurrent clients.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { createAdminToken } from '../src/server/accounts/users.js';
import { createDatabase } from '../src/server/db/database.js';
import { startHaproxy } from '../test/helpers/haproxy.js';
import { startServerProcesses } from './_server-processes.js';
import { type Figure, percentile, scratchDatabase } from './_shared.js';

const SEQUENTIAL = 600;
const CONCURRENCY = 16;
const THROUGHPUT_MS = 5000;
const QUERY = JSON.stringify({ query: '{ me { id } }' });

function client(url: string, token: string) {
  const pool = new Pool(url, { connections: CONCURRENCY });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return {
    async request(): Promise<void> {
      const res = await pool.request({ path: '/graphql', method: 'POST', headers, body: QUERY });
      const text = await res.body.text();
      if (res.statusCode !== 200 || !text.includes('"me"')) throw new Error(`${res.statusCode}: ${text}`);
    },
    close: () => pool.close(),
  };
}

type Client = ReturnType<typeof client>;

async function latencies(c: Client): Promise<number[]> {
  for (let i = 0; i < 50; i++) await c.request();
  const samples: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = performance.now();
    await c.request();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

async function throughput(c: Client): Promise<number> {
  let done = 0;
  const end = performance.now() + THROUGHPUT_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await c.request();
        done++;
      }
    }),
  );
  return done / (THROUGHPUT_MS / 1000);
}

export async function run(): Promise<Figure[]> {
  const database = await scratchDatabase('bench_balancer');
  const dir = await mkdtemp(join(tmpdir(), 'bench-balancer-'));
  const servers = await startServerProcesses(3, database.url);
  try {
    const balancer = await startHaproxy({
      dir,
      backends: servers.urls.map((url, i) => ({ name: `s${i + 1}`, port: Number(new URL(url).port) })),
    });
    try {
      const db = createDatabase({ url: database.url, max: 1 });
      const token = (await createAdminToken(db, new Date())).secret;
      await db.destroy();
      const direct = client(servers.urls[0], token);
      const balanced = client(balancer.url, token);
      const sides = ['direct', 'hop', 'three'] as const;
      type Side = (typeof sides)[number];
      const latency: Record<Side, number[]> = { direct: [], hop: [], three: [] };
      const rate: Record<Side, number[]> = { direct: [], hop: [], three: [] };
      // Interleaved, there and back (ABC CBA), so drift in the machine's load and warm-up hit every
      // side alike. `hop`: through haproxy with s2 and s3 out of the rotation, the balancer's own
      // cost; `three`: all in.
      for (const order of [sides, [...sides].reverse()]) {
        for (const side of order) {
          for (const name of ['s2', 's3'])
            await balancer.setState(name, side === 'three' ? 'ready' : 'maint');
          const c = side === 'direct' ? direct : balanced;
          latency[side].push(...(await latencies(c)));
          rate[side].push(await throughput(c));
        }
      }
      await direct.close();
      await balanced.close();
      for (const side of sides) latency[side].sort((a, b) => a - b);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const figures: Figure[] = [];
      for (const [side, what] of [
        ['hop', 'to 1 server'],
        ['three', 'to 3 servers'],
      ] as const) {
        for (const p of [50, 99]) {
          const value = percentile(latency[side], p);
          const anchor = percentile(latency.direct, p);
          figures.push({
            name: `GraphQL query through haproxy ${what}, p${p} (${latency[side].length} sequential)`,
            value,
            unit: 'ms',
            goal: p === 50 && side === 'hop' ? 'ratio ≤ 1.5' : 'report',
            anchor,
            anchorName: 'the same query straight to one server',
            ratio: value / anchor,
          });
        }
        const value = mean(rate[side]);
        const anchor = mean(rate.direct);
        figures.push({
          name: `GraphQL queries/s through haproxy ${what} (${CONCURRENCY} concurrent)`,
          value,
          unit: 'req/s',
          goal: side === 'hop' ? 'ratio ≥ 0.8' : 'report',
          anchor,
          anchorName: `${CONCURRENCY} concurrent straight to one server`,
          ratio: value / anchor,
        });
      }
      return figures;
    } finally {
      await balancer.stop();
    }
  } finally {
    await servers.stop();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    console.log(
      `${f.name}: ${f.value.toFixed(2)} ${f.unit}  | ${f.anchorName}: ${f.anchor?.toFixed(2)} ${f.unit}  | ratio ${f.ratio?.toFixed(2)}  | goal ${f.goal}`,
    );
  }
  process.exit(0);
}
