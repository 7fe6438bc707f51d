// `npm run bench`: runs every benchmark in bench/ and prints one table of figures against their anchors.
import { readdirSync } from 'node:fs';
import type { Figure } from './_shared.js';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: Array<Figure & { bench: string; error?: string }> = [];
for (const file of files) {
  const bench = file.replace(/\.ts$/, '');
  process.stderr.write(`running bench/${file} …\n`);
  try {
    const mod = (await import(new URL(file, import.meta.url).href)) as { run?: () => Promise<Figure[]> };
    if (!mod.run) continue;
    for (const figure of await mod.run()) rows.push({ bench, ...figure });
  } catch (error) {
    rows.push({ bench, name: '(failed)', value: Number.NaN, unit: '', goal: '', error: String(error) });
  }
}

const fmt = (n: number | undefined) =>
  n === undefined || Number.isNaN(n)
    ? ''
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 1
        ? n.toFixed(2)
        : n.toPrecision(3);
const table = [
  ['figure', 'ours', 'anchor', 'ratio', 'goal'],
  ...rows.map((r) => [
    `${r.bench}: ${r.name}`,
    r.error ? `error: ${r.error.slice(0, 60)}` : `${fmt(r.value)} ${r.unit}`,
    r.anchor === undefined ? '' : `${fmt(r.anchor)} ${r.unit}${r.anchorName ? ` (${r.anchorName})` : ''}`,
    r.ratio === undefined ? '' : fmt(r.ratio),
    r.goal,
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const [i, row] of table.entries()) {
  console.log(
    row
      .map((cell, j) => cell.padEnd(widths[j]))
      .join('  ')
      .trimEnd(),
  );
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
process.exit(rows.some((r) => r.error) ? 1 : 0);
