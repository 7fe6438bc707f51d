import type { ResultRow, RunResults } from '../../src/cli/run/types.js';

export function row(overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    iteration: 0,
    benchmark: 'sort/1000',
    benchmarkSlug: 'sort-1000',
    benchmarkId: 'b1',
    measure: 'latency',
    measureSlug: 'latency',
    measureId: 'm1',
    units: 'ns',
    value: 1234.5678,
    lowerValue: null,
    upperValue: null,
    baseline: 1000,
    lowerLimit: 900,
    upperLimit: 1100,
    change: 23.456,
    alert: { id: 'a1', side: 'UPPER', limit: 1100 },
    history: [],
    ...overrides,
  };
}

export function results(rows: ResultRow[]): RunResults {
  return {
    reportId: 'r1',
    project: 'p',
    url: 'http://host/projects/p/reports/r1',
    rows,
    error: null,
    noise: null,
  };
}
