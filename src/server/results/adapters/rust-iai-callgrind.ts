import { type Adapter, defineAdapter, requireAverage } from './adapter.js';
import { CALLGRIND_MEASURES, DHAT_MEASURES, errorToolMeasures, type GungraunMeasure } from './measures.js';
import { BmfBuilder, lines } from './parse-util.js';
import { readGungraunJson } from './rust-gungraun-json.js';

type Table = ReadonlyMap<string, string>;
const table = (rows: readonly GungraunMeasure[]): Table =>
  new Map(rows.map(([label, , slug]) => [label, slug]));

/** Label → measure slug per tool section; Cachegrind prints Callgrind's labels. */
const TOOLS: Record<string, Table> = {
  CALLGRIND: table(CALLGRIND_MEASURES),
  CACHEGRIND: table(CALLGRIND_MEASURES),
  DHAT: table(DHAT_MEASURES),
  MEMCHECK: table(errorToolMeasures('Memcheck')),
  HELGRIND: table(errorToolMeasures('Helgrind')),
  DRD: table(errorToolMeasures('DRD')),
};

// ANSI colour codes, which Gungraun prints to a terminal (Bencher issue 345).
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
/** `module::group::function id` — two `::` separated segments without a colon, then the rest. */
const NAME = /^[^:\s][^:]*::[^:]+::.+$/;
const TOOL = /^[ \t]*=+ ([A-Z]+) =+[ \t]*$/;
/** `  <label>:   <current>|<old or N/A> …`; only the current run's value is kept. */
const METRIC = /^[ \t]+([^:]+):[ \t]+([0-9]+(?:\.[0-9]+)?)\|(?:N\/A|[0-9.]+)/;

/**
 * iai-callgrind / Gungraun output, as Bencher reads it: its JSON (rust-gungraun-json.ts), else its
 * text, where every metric of every tool section
 * (Callgrind without a header, or after `== CALLGRIND ==`; Cachegrind, DHAT, Memcheck, Helgrind,
 * DRD after theirs) under Bencher's measure slugs; labels Bencher does not know are dropped.
 */
function callgrindAdapter(adapter: 'rust_iai_callgrind' | 'rust_gungraun'): Adapter {
  return defineAdapter(adapter, (output, options) => {
    // A single run's counts: there is no mean or median to choose.
    requireAverage(adapter, options, []);
    const bmf = new BmfBuilder(adapter);
    if (readGungraunJson(adapter, output, bmf)) {
      return bmf.build(`the Gungraun JSON given to ${adapter} holds no metric Bencher knows`);
    }
    let name: string | undefined;
    let tool: Table = TOOLS.CALLGRIND!;
    for (const raw of lines(output)) {
      const line = raw.replace(ANSI, '');
      const metric = name === undefined ? null : METRIC.exec(line);
      if (metric) {
        const slug = tool.get(metric[1]!.trim());
        if (slug) bmf.add(name!, slug, { value: Number(metric[2]) });
        continue;
      }
      const header = name === undefined ? null : TOOL.exec(line);
      if (header) {
        tool = TOOLS[header[1]!] ?? new Map();
        continue;
      }
      name = NAME.test(line) ? line.trim() : undefined;
      tool = TOOLS.CALLGRIND!;
    }
    return bmf.build(
      `no iai-callgrind/Gungraun results found in the output of ${adapter} (expected a ` +
        '`crate::group::function id` line followed by lines like `  Instructions:  1734|N/A  (*********)`)',
    );
  });
}

export const rustIaiCallgrind = callgrindAdapter('rust_iai_callgrind');
/** Gungraun is iai-callgrind renamed; Bencher reads both the same way. */
export const rustGungraun = callgrindAdapter('rust_gungraun');
