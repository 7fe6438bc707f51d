// `npm run check`: schema.graphql and generated documents up to date, types, lint.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let failed = false;
const fail = (message: string) => {
  console.error(`✗ ${message}`);
  failed = true;
};

const { printedSchema } = await import('../src/server/graphql/schema.js');
if (readFileSync('schema.graphql', 'utf8') !== printedSchema()) {
  fail('schema.graphql is stale: run `npm run schema:print` and commit it');
} else console.log('✓ schema.graphql is up to date');

const out = mkdtempSync(join(tmpdir(), 'benchline-codegen-'));
try {
  execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, CODEGEN_OUT: `${out}/` },
  });
  const diff = spawnSync('diff', ['-r', 'src/gql', out], { encoding: 'utf8' });
  if (diff.status !== 0) fail('src/gql is stale: run `npm run codegen` and commit it');
  else console.log('✓ generated documents in src/gql are up to date');
} finally {
  rmSync(out, { recursive: true, force: true });
}

for (const [name, command, args] of [
  ['types', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['biome', 'check', '.']],
] as const) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) fail(`${name} check failed`);
  else console.log(`✓ ${name}`);
}
process.exit(failed ? 1 : 0);
