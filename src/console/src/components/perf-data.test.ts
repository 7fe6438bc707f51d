import { describe, expect, it } from 'vitest';
import type { PerfSeries } from '../api/types.js';
import { panels, plotted } from './perf-data.js';

function series(benchmark: string, measure: string, units: string): PerfSeries {
  const named = (name: string) => ({ name, slug: name.toLowerCase() });
  return {
    benchmark: named(benchmark),
    measure: { ...named(measure), units },
    branch: named('main'),
    testbed: named('ci-linux'),
    points: [],
    total: 0,
  } as unknown as PerfSeries;
}

describe('plotted series', () => {
  // The server's order follows random ids; every order of the same series must draw the same plot.
  const latency = [series('sort', 'Latency', 'ns'), series('search', 'Latency', 'ns')];
  const throughput = series('sort', 'Throughput', 'ops/s');
  const orders = [
    [throughput, ...latency],
    [latency[0], throughput, latency[1]],
    [...latency, throughput].reverse(),
  ];

  it('keeps each series its colour and each unit its panel, whatever order they came in', () => {
    const drawn = orders.map((order) => {
      const all = plotted(order);
      return {
        colours: all.map((p) => `${p.label}=${p.color}`),
        panels: panels(all).map((p) => `${p.units}: ${p.series.map((s) => s.label).join(', ')}`),
      };
    });
    expect(drawn[0].panels).toEqual(['ns: search · Latency, sort · Latency', 'ops/s: sort · Throughput']);
    for (const d of drawn.slice(1)) expect(d).toEqual(drawn[0]);
  });
});
