import { defineAdapter } from './adapter.js';
import { LATENCY, THROUGHPUT } from './measures.js';
import { BmfBuilder, durationNanos, lines, parseNumber, trailingTokens } from './parse-util.js';

/** The header of Benchee's console run-time table. */
const HEADER = /^Name[ \t]+ips[ \t]+average[ \t]+deviation[ \t]+median[ \t]+99th %[ \t]*$/;
/** Benchee's count suffixes for iterations per second. */
const SCALE: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };

/** `<name>  <ips> [K|M|B|T]  <average> <unit>  ±<deviation>%  <median> <unit>  <99th> <unit>` */
function row(
  line: string,
): { name: string; ips: number; average: number; deviation: number; median: number } | undefined {
  for (const count of [9, 8]) {
    const t = trailingTokens(line, count);
    if (!t?.head.trim()) continue;
    const [ipsNumber, ...rest] = t.tokens;
    const unit = count === 9 ? rest.shift()! : '';
    const scale = count === 9 ? SCALE[unit] : 1;
    const ips = parseNumber(ipsNumber!);
    const [avg, avgUnit, dev, med, medUnit, p99, p99Unit] = rest;
    const average = durationNanos(avg, avgUnit);
    const median = durationNanos(med, medUnit);
    const deviation = /^±[0-9.]+%$/.test(dev ?? '') ? Number(dev!.slice(1, -1)) : undefined;
    if (scale === undefined || ips === undefined || average === undefined || median === undefined) continue;
    if (deviation === undefined || durationNanos(p99, p99Unit) === undefined) continue;
    return { name: t.head.trim(), ips: ips * scale, average, deviation, median };
  }
  return undefined;
}

/**
 * Elixir Benchee's console formatter. Bencher has no working benchee adapter (its module is an
 * empty stub), so this follows its other adapters: latency is the average ± Benchee's standard
 * deviation (given in % of the average), or with MEDIAN the median without bounds; throughput is
 * the iterations per second.
 */
export const elixirBenchee = defineAdapter('elixir_benchee', (output, options) => {
  const bmf = new BmfBuilder('elixir_benchee');
  let inTable = false;
  for (const line of lines(output)) {
    if (!inTable) {
      inTable = HEADER.test(line);
      continue;
    }
    const r = row(line);
    if (!r) {
      inTable = HEADER.test(line);
      continue;
    }
    if (options.average === 'MEDIAN') {
      bmf.add(r.name, LATENCY, { value: r.median });
    } else {
      const spread = (r.average * r.deviation) / 100;
      bmf.add(r.name, LATENCY, {
        value: r.average,
        lower_value: r.average - spread,
        upper_value: r.average + spread,
      });
    }
    bmf.add(r.name, THROUGHPUT, { value: r.ips });
  }
  return bmf.build(
    'no Benchee run-time table found in the output of elixir_benchee (expected a `Name  ips  average  ' +
      'deviation  median  99th %` header followed by one row per job)',
  );
});
