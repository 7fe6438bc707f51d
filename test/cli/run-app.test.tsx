import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { RunApp } from '../../src/cli/ui/RunApp.js';
import { createRunStore } from '../../src/cli/ui/store.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('RunApp Ctrl-C', () => {
  function setup(jobId: string | null) {
    const store = createRunStore();
    store.dispatch({ type: 'submitting', at: 0 });
    if (jobId) {
      store.dispatch({ type: 'submitted', at: 1, reportId: 'r1', jobId });
      store.dispatch({ type: 'status', at: 1, status: 'RUNNING' });
    }
    const calls: string[] = [];
    const app = render(
      <RunApp
        store={store}
        onStop={() => calls.push('stop')}
        onCancelJob={(id) => calls.push(`cancel ${id}`)}
      />,
    );
    return { app, calls };
  }

  it('asks before canceling a remote job, and cancels on y', async () => {
    const { app, calls } = setup('job-1');
    await tick();
    app.stdin.write('\x03');
    await tick();
    expect(app.lastFrame()).toContain('Cancel job job-1? (y/N)');
    app.stdin.write('y');
    await tick();
    expect(calls).toEqual(['cancel job-1']);
    expect(app.lastFrame()).not.toContain('(y/N)');
    app.unmount();
  });

  it('keeps following on any other answer, and leaves the job running on a second Ctrl-C', async () => {
    const { app, calls } = setup('job-2');
    await tick();
    app.stdin.write('\x03');
    await tick();
    app.stdin.write('n');
    await tick();
    expect(calls).toEqual([]);
    app.stdin.write('\x03');
    await tick();
    app.stdin.write('\x03');
    await tick();
    expect(calls).toEqual(['stop']);
    app.unmount();
  });

  it('stops a local run at once', async () => {
    const { app, calls } = setup(null);
    await tick();
    app.stdin.write('\x03');
    await tick();
    expect(calls).toEqual(['stop']);
    app.unmount();
  });
});
