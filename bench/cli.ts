// Cold start of the installed CLI: `node bin/benchline.js --help`, against `node -e 0` (Node's own start).
// Commands register without loading their actions (Ink, React, graphql stay unloaded), so help is cheap.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Figure } from './_shared.js';

const GOAL_MS = 300;
const root = fileURLToPath(new URL('..', import.meta.url));

function build(): void {
  // tsc emits even when some other part of the tree has type errors; the CLI only needs its files.
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
  if (!existsSync(join(root, 'dist/src/cli/main.js'))) {
    throw new Error(`npm run build produced no dist/src/cli/main.js:\n${result.stdout}${result.stderr}`);
  }
}

function hasHyperfine(): boolean {
  return spawnSync('hyperfine', ['--version']).status === 0;
}

/** Mean wall time in ms of each command, by hyperfine when installed, else by repeated spawns. */
function measure(commands: string[][], runs = 30): number[] {
  if (hasHyperfine()) {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-cli-')), 'hyperfine.json');
    execFileSync(
      'hyperfine',
      [
        '--warmup',
        '3',
        '--runs',
        String(runs),
        '-N',
        '--export-json',
        out,
        ...commands.map((c) => c.join(' ')),
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const { results } = JSON.parse(readFileSync(out, 'utf8')) as { results: Array<{ median: number }> };
    return results.map((r) => r.median * 1000);
  }
  return commands.map(([file, ...args]) => {
    const times: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const start = process.hrtime.bigint();
      spawnSync(file, args, { cwd: root, stdio: 'ignore' });
      if (i >= 3) times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  });
}

export async function run(): Promise<Figure[]> {
  build();
  const [cli, node] = measure([
    ['node', 'bin/benchline.js', '--help'],
    ['node', '-e', '0'],
  ]);
  return [
    {
      name: 'cold start: benchline --help',
      value: cli,
      unit: 'ms',
      goal: `≤ ${GOAL_MS} ms`,
      anchor: node,
      anchorName: 'node -e 0',
      ratio: cli / node,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await run()) {
    console.log(
      `cli.${f.name}  ${f.value.toFixed(0)} ms (median)  (goal ${f.goal})  anchor ${f.anchorName} ` +
        `${f.anchor?.toFixed(0)} ms  ratio ${f.ratio?.toFixed(2)}`,
    );
  }
}
