import { describe, expect, it } from 'vitest';
import { jsonDocument } from '../../src/cli/output/json.js';
import { outputMode } from '../../src/cli/output/mode.js';
import { createPlainRenderer, resultsLines } from '../../src/cli/output/plain.js';
import { sparkline } from '../../src/cli/output/sparkline.js';
import type { RunEvent } from '../../src/cli/run/types.js';
import { results, row } from './fixtures.js';

describe('output mode', () => {
  it('is interactive only on a TTY outside CI, unless quiet or json', () => {
    expect(outputMode({}, true, {})).toBe('interactive');
    expect(outputMode({}, false, {})).toBe('plain');
    expect(outputMode({}, true, { CI: 'true' })).toBe('plain');
    expect(outputMode({}, true, { CI: 'false' })).toBe('interactive');
    expect(outputMode({ quiet: true }, true, {})).toBe('plain');
    expect(outputMode({ format: 'json' }, true, {})).toBe('json');
  });
});

describe('plain renderer', () => {
  it('writes one line per status change and prefixes whole log lines by stream', () => {
    const lines: string[] = [];
    const render = createPlainRenderer((line) => lines.push(line));
    const events: RunEvent[] = [
      { type: 'submitting', at: 0 },
      { type: 'submitted', at: 100, reportId: 'r1', jobId: 'j1' },
      { type: 'status', at: 100, status: 'PENDING' },
      { type: 'status', at: 2100, status: 'CLAIMED', runner: 'rack-1' },
      { type: 'status', at: 2200, status: 'RUNNING', runner: 'rack-1' },
      { type: 'log', at: 2300, stream: 'STDOUT', text: 'hel' },
      { type: 'log', at: 2300, stream: 'STDERR', text: 'warn\n' },
      { type: 'log', at: 2400, stream: 'STDOUT', text: 'lo\npartial' },
      { type: 'status', at: 5000, status: 'FAILED', failureReason: 'NONZERO_EXIT' },
      { type: 'done', at: 5000, outcome: 'failed', message: 'the job failed: NONZERO_EXIT' },
    ];
    events.forEach(render);
    expect(lines).toEqual([
      '[   0.0s] submitting run',
      '[   0.1s] report r1, job j1',
      '[   0.1s] queued, waiting for a runner',
      '[   2.1s] claimed by runner rack-1',
      '[   2.2s] running on rack-1',
      'stderr | warn',
      'stdout | hello',
      // The failure once, after the output that explains it.
      'stdout | partial',
      '[   5.0s] the job failed: NONZERO_EXIT',
    ]);
    expect(lines.join('\n')).not.toMatch(/\x1b\[/);
  });

  it('says where to follow a detached job, and that a job left running is still running', () => {
    for (const [message, expected] of [
      [undefined, '[   0.0s] detached: job j1 submitted; follow it with `benchline job logs --follow j1`'],
      [
        'left job j1 running',
        '[   0.0s] left job j1 running; follow it with `benchline job logs --follow j1`',
      ],
    ] as const) {
      const lines: string[] = [];
      const render = createPlainRenderer((line) => lines.push(line));
      render({ type: 'submitted', at: 0, reportId: 'r1', jobId: 'j1' });
      render({ type: 'done', at: 0, outcome: 'detached', message });
      expect(lines.at(-1)).toBe(expected);
    }
  });

  it('fits the results table to the terminal: names cut with an ellipsis, history dropped first', () => {
    const long = 'parse/a-very-long-benchmark-name-that-would-not-fit-in-eighty-columns';
    const rows = [
      row({
        benchmark: long,
        history: [5, 1, 3, 9],
        alert: { id: 'a1', side: 'UPPER', limit: 1100, verdict: 'UNCONFIRMABLE' },
      }),
      row({ benchmark: 'noop', benchmarkId: 'b2', alert: null, history: [1, 2] }),
    ];
    const wide = resultsLines(results(rows));
    expect(wide[1]).toMatch(/Alert\s+History$/);
    expect(wide.join('\n')).toContain(long);

    const lines = resultsLines(results(rows), 80);
    const table = lines.slice(1, 5);
    for (const line of table) expect(line.length).toBeLessThanOrEqual(80);
    expect(table[0]).toMatch(/^Benchmark\s+Measure\s+Value\s+Baseline\s+Δ%\s+Lower\s+Upper\s+Alert$/);
    expect(table[2]).toMatch(
      /^parse\/a-ver\S*…\s+latency \(ns\)\s+1,234\.57\s+1,000\s+\+23\.46%\s+900\s+1,100\s+ALERT/,
    );
    expect(table[3]).toMatch(/^noop\s+latency \(ns\)\s+1,234\.57\s+1,000\s+\+23\.46%\s+900\s+1,100$/);
    // The alert list below the table keeps the whole name and verdict.
    expect(lines.join('\n')).toContain(`ALERT ${long} · latency`);

    // Narrower still: the limits go before the numbers are cut.
    const narrow = resultsLines(results(rows), 66).slice(1, 5);
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(66);
    expect(narrow[0]).toMatch(/^Benchmark\s+Measure\s+Value\s+Baseline\s+Δ%\s+Alert$/);
    expect(narrow[3]).toMatch(/^noop\s+latency \(ns\)\s+1,234\.57\s+1,000\s+\+23\.46%$/);
  });

  it('says which limit a queued job waits on: its tier’s slots, or a runner', () => {
    const lines: string[] = [];
    const render = createPlainRenderer((line) => lines.push(line));
    const queued = (slots: { tier: string; limit: number | null; busy: number } | null) =>
      render({ type: 'status', at: 0, status: 'PENDING', slots });
    queued({ tier: 'FREE', limit: 1, busy: 1 });
    queued({ tier: 'TEAM', limit: 8, busy: 3 });
    queued({ tier: 'ENTERPRISE', limit: null, busy: 5 });
    queued(null);
    expect(lines).toEqual([
      '[   0.0s] queued: 1 of 1 FREE slots busy',
      '[   0.0s] queued, waiting for a runner (3 of 8 TEAM slots busy)',
      '[   0.0s] queued, waiting for a runner (ENTERPRISE: no limit on jobs in flight)',
      '[   0.0s] queued, waiting for a runner',
    ]);
  });

  it('leaves out the benchmark output when quiet', () => {
    const lines: string[] = [];
    const render = createPlainRenderer((line) => lines.push(line), { quiet: true });
    render({ type: 'log', at: 0, stream: 'STDOUT', text: 'noise\n' });
    render({ type: 'done', at: 0, outcome: 'ok' });
    expect(lines).toEqual(['[   0.0s] done']);
  });

  it('prints the results table with aligned numbers, alert marks, the alert and the link', () => {
    const lines = resultsLines(
      results([row(), row({ benchmark: 'noop', benchmarkId: 'b2', alert: null, change: -1.5 })]),
    );
    const text = lines.join('\n');
    expect(lines[1]).toMatch(/^Benchmark\s+Measure\s+Value\s+Baseline\s+Δ%\s+Lower\s+Upper\s+Alert$/);
    expect(text).toContain(
      'sort/1000  latency (ns)  1,234.57     1,000  +23.46%    900  1,100  ALERT(upper)',
    );
    expect(text).toContain('-1.50%');
    expect(text).toContain('1 alert:');
    expect(text).toContain(
      'ALERT sort/1000 · latency: 1,234.57 ns is above the upper limit 1,100 ns (+23.46% from baseline)',
    );
    expect(lines.at(-1)).toBe('Report: http://host/projects/p/reports/r1');
  });

  it("says how quiet the runner was, and when the probe's cap cut it short", () => {
    const noise = {
      cvPct: 3.25,
      stealPct: 0.5,
      load: 12.5,
      involuntaryContextSwitches: 4,
      probeMs: 1000,
      truncated: true,
      tuning: [],
    };
    const text = resultsLines({ ...results([row()]), noise }).join('\n');
    expect(text).toContain(
      'Runner noise: probe CV 3.25%, steal 0.5%, load 12.50, probe cut short by its cap (a loaded host), untuned',
    );
    const full = resultsLines({ ...results([row()]), noise: { ...noise, truncated: false } }).join('\n');
    expect(full).not.toContain('cut short');
  });
});

describe('json document', () => {
  it('says why a run failed in the error shape of every command, and keeps a given URL', () => {
    const doc = jsonDocument(
      { outcome: 'failed', reportId: 'r2', jobId: 'j2', job: null, results: null, message: 'the job failed' },
      [],
      { url: 'http://host/projects/p/reports/r2' },
    );
    expect(doc.error).toEqual({
      code: 'RUN_FAILED',
      message: 'the job failed',
      hint: expect.stringContaining('j2'),
    });
    expect(doc.url).toBe('http://host/projects/p/reports/r2');
  });

  it('holds outcome, ids, results, alerts and logs', () => {
    const doc = jsonDocument(
      { outcome: 'ok', reportId: 'r1', jobId: null, job: null, results: results([row()]) },
      [{ stream: 'STDOUT', text: 'x' }],
    );
    expect(JSON.parse(JSON.stringify(doc))).toMatchObject({
      outcome: 'ok',
      reportId: 'r1',
      url: 'http://host/projects/p/reports/r1',
      error: null,
      results: [
        {
          iteration: 0,
          benchmark: { name: 'sort/1000', slug: 'sort-1000' },
          measure: { name: 'latency', slug: 'latency', units: 'ns' },
          value: 1234.5678,
          lowerValue: null,
          upperValue: null,
          baseline: 1000,
          lowerLimit: 900,
          upperLimit: 1100,
          change: 23.456,
          alert: { id: 'a1', side: 'UPPER', limit: 1100 },
        },
      ],
      alerts: [{ id: 'a1' }],
      logs: [{ stream: 'STDOUT', text: 'x' }],
    });
  });
});

describe('sparkline', () => {
  it('scales the latest values to eight bar heights', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5])).toBe('▁▁▁');
    expect(sparkline([0, 10], 1)).toBe('▁');
    expect(sparkline([])).toBe('');
  });
});
