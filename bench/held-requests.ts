// Server memory per held runner request: N claimJob long-polls waiting on one server, the runner's
// document sent by id (answered directly, src/server/http/persisted-request.ts) or as text
// (BENCH_RUNNER_DOCUMENTS=1: through yoga and the fetch API). The clients share this process, so
// the figure is the heap growth per held request, clients included; compare the two modes, whose
// clients are the same. Run with `node --expose-gc --import tsx bench/held-requests.ts`.
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { RUNNER_DOCUMENT_IDS } from '../src/runner/document-ids.js';
import { CLAIM_JOB } from '../src/runner/operations.js';
import { claimWaitersFor } from '../src/server/queue/claim-waiters.js';
import { startQueueBench } from './_queue-setup.js';
import type { Figure } from './_shared.js';

const HELD = Number(process.env.BENCH_HELD_REQUESTS ?? 2000);
const DOCUMENTS = process.env.BENCH_RUNNER_DOCUMENTS === '1';

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage();
};

export async function run(): Promise<Figure[]> {
  if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with node --expose-gc');
  const bench = await startQueueBench(1);
  const pool = new Pool(bench.server.url, { connections: null, headersTimeout: 0, bodyTimeout: 0 });
  const variables = { specs: null, waitSeconds: 60, start: true };
  const body = JSON.stringify(
    DOCUMENTS
      ? { query: CLAIM_JOB, variables }
      : {
          variables,
          extensions: { persistedQuery: { version: 1, sha256Hash: RUNNER_DOCUMENT_IDS.get(CLAIM_JOB) } },
        },
  );
  const headers = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    authorization: `Bearer ${bench.runnerKeys[0]}`,
  };
  const abort = new AbortController();
  const waiters = claimWaitersFor(bench.server.deps.events);
  try {
    // One first call: the runner key's lookup and the specs are cached before measuring.
    await pool
      .request({
        method: 'POST',
        path: '/graphql',
        headers,
        body: body.replace('"waitSeconds":60', '"waitSeconds":0'),
      })
      .then((r) => r.body.text());
    const before = await settle();
    const held = Array.from({ length: HELD }, () =>
      pool
        .request({ method: 'POST', path: '/graphql', headers, body, signal: abort.signal })
        .then((r) => r.body.text())
        .catch(() => undefined),
    );
    while (waiters.size < HELD) await new Promise((r) => setTimeout(r, 50));
    const during = await settle();
    abort.abort();
    await Promise.all(held);
    const perRequest = (during.heapUsed - before.heapUsed) / HELD / 1024;
    return [
      {
        name: `heap per held claimJob long-poll (${HELD} held, documents ${DOCUMENTS ? 'as text' : 'by id'}, clients included)`,
        value: perRequest,
        unit: 'KiB',
        goal: '',
      },
      {
        name: '  RSS per held long-poll',
        value: (during.rss - before.rss) / HELD / 1024,
        unit: 'KiB',
        goal: '',
      },
    ];
  } finally {
    await pool.destroy();
    await bench.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) console.log(`${f.name}: ${f.value.toFixed(1)} ${f.unit}`);
  process.exit(0);
}
