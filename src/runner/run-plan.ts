import { randomInt } from 'node:crypto';
import type { ClaimedJobConfig } from './operations.js';

/** One execution of a job: which image (arm), which round and iteration, and the output's number. */
export interface PlannedRun {
  arm: number;
  round: number;
  iteration: number;
  /** The `iteration` its output is reported under (JobConfig.arms on the server explains the numbering). */
  output: number;
  /** What the job's log says before it, or null for a plain run. */
  label: string | null;
}

/**
 * The order a job's executions run in. A run: its iterations, one after another. A confirmation:
 * `rounds` rounds; each round runs every arm (head and baselines) once, its iterations back to
 * back, with the order of the arms drawn at random per round, so that drift and a neighbour's
 * bursts fall on both arms alike rather than always on the one that runs second.
 */
export function planRuns(config: ClaimedJobConfig, random: (n: number) => number = randomInt): PlannedRun[] {
  const iterations = Math.max(1, config.iterations);
  if (config.kind !== 'CONFIRMATION' || !config.arms?.length) {
    return Array.from({ length: iterations }, (_, i) => ({
      arm: 0,
      round: 0,
      iteration: i,
      output: i,
      label: null,
    }));
  }
  const arms = config.arms.length;
  const rounds = Math.max(1, config.rounds ?? 1);
  const plan: PlannedRun[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = Array.from({ length: arms }, (_, i) => i);
    for (let i = arms - 1; i > 0; i--) {
      const j = random(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const arm of order) {
      for (let iteration = 0; iteration < iterations; iteration++) {
        const name = config.arms[arm]!.name;
        const which = iterations > 1 ? ` · iteration ${iteration + 1}/${iterations}` : '';
        plan.push({
          arm,
          round,
          iteration,
          output: (round * arms + arm) * iterations + iteration,
          label: `round ${round + 1}/${rounds} · arm ${name}${which}`,
        });
      }
    }
  }
  return plan;
}
