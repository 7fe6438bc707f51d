import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { handleInterrupts, type InterruptTarget } from '../../src/cli/run/interrupt.js';

function harness(jobId: string | null, answer: boolean | null) {
  const proc = new EventEmitter() as unknown as NodeJS.Process;
  const calls: string[] = [];
  const target: InterruptTarget = {
    jobId: () => jobId,
    stop: () => calls.push('stop'),
    cancelJob: async (id) => void calls.push(`cancel ${id}`),
    ask: answer === null ? null : async () => answer,
    notice: () => {},
  };
  const off = handleInterrupts(target, proc);
  const sigint = async () => {
    proc.emit('SIGINT');
    await new Promise((r) => setTimeout(r, 10));
  };
  return { calls, sigint, off };
}

describe('Ctrl-C in plain mode', () => {
  it('stops at once while nothing was submitted', async () => {
    const h = harness(null, true);
    await h.sigint();
    expect(h.calls).toEqual(['stop']);
  });

  it('cancels the job when the user says yes, and keeps following on no', async () => {
    const yes = harness('j1', true);
    await yes.sigint();
    expect(yes.calls).toEqual(['cancel j1']);
    const no = harness('j1', false);
    await no.sigint();
    expect(no.calls).toEqual([]);
  });

  it('cancels without asking when nobody can answer (CI)', async () => {
    const h = harness('j1', null);
    await h.sigint();
    expect(h.calls).toEqual(['cancel j1']);
    h.off();
    await h.sigint();
    expect(h.calls).toEqual(['cancel j1']);
  });
});
