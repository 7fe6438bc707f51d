import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/cli/run/lines.js';
import { initialRunState, type RunState, reduceRun } from '../../src/cli/run/state.js';
import type { RunEvent } from '../../src/cli/run/types.js';
import { LogTail } from '../../src/cli/ui/LogTail.js';
import { ResultsTable } from '../../src/cli/ui/ResultsTable.js';
import { RunView } from '../../src/cli/ui/RunView.js';
import { results, row } from './fixtures.js';

const mounted: Array<{ unmount: () => void }> = [];
function mount(node: React.ReactElement) {
  const instance = render(node);
  mounted.push(instance);
  return instance;
}
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

function fold(events: RunEvent[]): RunState {
  const splitter = new LineSplitter();
  return events.reduce((state, event) => reduceRun(state, event, splitter), initialRunState());
}

describe('RunView', () => {
  const queued: RunEvent[] = [
    { type: 'submitting', at: 0 },
    { type: 'submitted', at: 300, reportId: 'r1', jobId: 'job-1' },
    { type: 'status', at: 300, status: 'PENDING' },
    { type: 'status', at: 4300, status: 'CLAIMED', runner: 'rack-1' },
  ];

  it('shows finished phases with their times and the active one with a spinner and elapsed time', () => {
    const { lastFrame } = mount(<RunView state={fold(queued)} now={6800} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('✔ submitting run 0.3s');
    expect(frame).toContain('✔ queued, waiting for a runner 4.0s');
    expect(frame).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] claimed by runner rack-1 2\.5s/);
    expect(frame).toContain('job job-1 · Ctrl-C to cancel or leave');
  });

  it('walks through running and processing to the results, hiding the log tail on success', () => {
    const state = fold([
      ...queued,
      { type: 'status', at: 5000, status: 'RUNNING', runner: 'rack-1' },
      { type: 'log', at: 5100, stream: 'STDOUT', text: 'bench output line\n' },
      { type: 'status', at: 9000, status: 'COMPLETED' },
      { type: 'status', at: 9500, status: 'PROCESSED' },
      { type: 'results', at: 9700, results: results([row()]) },
      { type: 'done', at: 9700, outcome: 'ok' },
    ]);
    const frame = mount(<RunView state={state} now={10_000} />).lastFrame() ?? '';
    expect(frame).toContain('✔ running on rack-1 4.0s');
    expect(frame).toContain('✔ processing results 0.5s');
    expect(frame).toContain('sort/1000');
    expect(frame).toContain('Report: http://host/projects/p/reports/r1');
    expect(frame).not.toContain('bench output line');
  });

  it('keeps the log tail and says why when the job fails', () => {
    const state = fold([
      ...queued,
      { type: 'status', at: 5000, status: 'RUNNING' },
      { type: 'log', at: 5100, stream: 'STDERR', text: 'panic: boom\n' },
      { type: 'status', at: 6000, status: 'FAILED', failureReason: 'NONZERO_EXIT' },
      { type: 'done', at: 6000, outcome: 'failed', message: 'the job failed: NONZERO_EXIT (exit code 2)' },
    ]);
    const frame = mount(<RunView state={state} now={7000} />).lastFrame() ?? '';
    expect(frame).toContain('✘ running 1.0s');
    expect(frame).toContain('panic: boom');
    expect(frame).toContain('✘ the job failed: NONZERO_EXIT (exit code 2)');
  });

  it('does not mark a job left running as a failure', () => {
    const state = fold([
      ...queued,
      { type: 'done', at: 5000, outcome: 'detached', message: 'left job job-1 running' },
    ]);
    const frame = mount(<RunView state={state} now={6000} />).lastFrame() ?? '';
    expect(frame).not.toContain('✘');
    expect(frame).toContain('✔ claimed by runner rack-1 0.7s');
    expect(frame).toContain('left job job-1 running; follow it with `benchline job logs --follow job-1`');
  });

  it('shows the cancel question in the footer', () => {
    const frame = mount(
      <RunView state={fold(queued)} now={5000} prompt="Cancel job job-1? (y/N)" />,
    ).lastFrame();
    expect(frame).toContain('Cancel job job-1? (y/N)');
  });
});

describe('LogTail', () => {
  it('shows only the last `height` lines', () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({
      id: i,
      stream: 'STDOUT' as const,
      line: `line ${i}`,
    }));
    const frame = mount(<LogTail lines={lines} height={5} />).lastFrame() ?? '';
    const shown = frame.match(/line \d+/g);
    expect(shown).toEqual(['line 25', 'line 26', 'line 27', 'line 28', 'line 29']);
  });
});

describe('ResultsTable', () => {
  it('shows formatted numbers, change and alert marks per row', () => {
    const rows = [
      row({ history: [1, 2, 3] }),
      row({ benchmark: 'noop', benchmarkId: 'b2', alert: null, change: null }),
    ];
    const frame = mount(<ResultsTable rows={rows} />).lastFrame() ?? '';
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/Benchmark\s+Measure\s+Value\s+Baseline\s+Δ%\s+Lower\s+Upper\s+Alert\s+History/);
    expect(lines[1]).toMatch(
      /sort\/1000\s+latency \(ns\)\s+1,234\.57\s+1,000\s+\+23\.46%\s+900\s+1,100\s+⚠ upper\s+▁▅█/,
    );
    expect(lines[2]).toMatch(/noop\s+latency \(ns\)\s+1,234\.57\s+1,000\s+-\s+900\s+1,100\s*$/);
  });

  it('fits an 80-column terminal: the name cut with an ellipsis, the history column dropped', () => {
    const long = 'parse/a-very-long-benchmark-name-that-would-not-fit-in-eighty-columns';
    const rows = [
      row({ benchmark: long, history: [1, 2, 3] }),
      row({ benchmark: 'noop', benchmarkId: 'b2' }),
    ];
    const frame = mount(<ResultsTable rows={rows} width={80} />).lastFrame() ?? '';
    const lines = frame.split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.length).toBeLessThan(80);
    expect(lines[0]).toMatch(/Alert$/);
    expect(lines[1]).toMatch(
      /^parse\/a-ver\S*…\s+latency \(ns\)\s+1,234\.57\s+1,000\s+\+23\.46%\s+900\s+1,100\s+⚠ upper$/,
    );
  });

  it('numbers iterations when there are several', () => {
    const frame = mount(
      <ResultsTable rows={[row({ alert: null }), row({ iteration: 1, alert: null })]} />,
    ).lastFrame();
    expect(frame).toContain('sort/1000 #1');
    expect(frame).toContain('sort/1000 #2');
  });
});
