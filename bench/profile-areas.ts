// Where a .cpuprofile's busy time went, by area of the code (the first area found from the sampled
// frame towards the root). For `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/lifecycle.ts`:
//   npx tsx bench/profile-areas.ts /tmp/prof/CPU.*.0.001.cpuprofile
// Wall-clock samples: a syscall the process was preempted in (writev to PostgreSQL) weighs more
// here than in its CPU time; read the shares against each other, not as CPU ms.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

const AREAS: Array<[string, RegExp]> = [
  ['startup (module loading)', /internal\/modules\/|\/tsx\/|esbuild/],
  ['pg driver and its socket writes', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//],
  ['kysely (building, compiling, results)', /node_modules\/kysely\//],
  ['undici (the runner transport)', /node_modules\/undici\//],
  ['yoga, whatwg-node, envelop', /graphql-yoga|@whatwg-node|@envelop|@graphql-tools/],
  ['Pothos plugins', /@pothos\//],
  ['graphql-js execution', /node_modules\/graphql\//],
  ['persisted requests (src/server/http/persisted-request.ts)', /persisted-request/],
  ['runner client (src/runner)', /\/src\/runner\//],
  ['bench and fixtures', /\/bench\/|\/test\//],
  ['server code (src/server)', /\/src\/server\//],
  ['node:http', /node:_http_/],
];

const profile = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parents = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
const byNode = new Map<number, number>();
profile.samples.forEach((id, i) => {
  byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const areas = new Map<string, number>();
let busy = 0;
for (const [id, time] of byNode) {
  const leaf = nodes.get(id)?.callFrame;
  if (!leaf || leaf.functionName === '(idle)') continue;
  busy += time;
  let area = leaf.functionName === '(garbage collector)' ? 'garbage collector' : undefined;
  for (let at: number | undefined = id; !area && at !== undefined; at = parents.get(at)) {
    const url = nodes.get(at)?.callFrame.url ?? '';
    area = AREAS.find(([, pattern]) => pattern.test(url))?.[0];
  }
  area ??= `other: ${leaf.functionName || '(anonymous)'}`;
  areas.set(area, (areas.get(area) ?? 0) + time);
}
console.log(`busy: ${(busy / 1000).toFixed(0)} ms sampled`);
for (const [area, time] of [...areas].sort((a, b) => b[1] - a[1])) {
  if ((100 * time) / busy >= 0.5) console.log(`${((100 * time) / busy).toFixed(1).padStart(5)} %  ${area}`);
}
