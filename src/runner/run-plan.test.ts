import { describe, expect, it } from 'vitest';
import type { ClaimedJobConfig } from './operations.js';
import { planRuns } from './run-plan.js';

const base: ClaimedJobConfig = {
  registryUrl: 'r',
  repository: 'repo',
  digest: 'sha256:a',
  entrypoint: null,
  cmd: null,
  env: {},
  timeoutSeconds: 10,
  filePaths: [],
  iterations: 2,
};

describe('planRuns', () => {
  it('a run: its iterations in order', () => {
    expect(planRuns(base).map((s) => [s.arm, s.output, s.label])).toEqual([
      [0, 0, null],
      [0, 1, null],
    ]);
  });

  it('a confirmation: every arm each round, in a drawn order, outputs numbered by round and arm', () => {
    const arms = [
      { name: 'head', repository: 'repo', digest: 'sha256:a' },
      { name: 'base', repository: 'repo', digest: 'sha256:b' },
    ];
    // The draw swaps the two arms in round 1 only.
    const draws = [1, 0, 1];
    const plan = planRuns({ ...base, kind: 'CONFIRMATION', rounds: 3, arms }, () => draws.shift()!);
    expect(plan.map((s) => [s.round, s.arm, s.iteration, s.output])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 1, 1],
      [0, 1, 0, 2],
      [0, 1, 1, 3],
      [1, 1, 0, 6],
      [1, 1, 1, 7],
      [1, 0, 0, 4],
      [1, 0, 1, 5],
      [2, 0, 0, 8],
      [2, 0, 1, 9],
      [2, 1, 0, 10],
      [2, 1, 1, 11],
    ]);
    expect(plan[4].label).toBe('round 2/3 · arm base · iteration 1/2');
    // Every output number once.
    expect(new Set(plan.map((s) => s.output)).size).toBe(12);
  });
});
