import { BenchlineError } from '../errors.js';
import { confirmationSlot } from '../queue/job-config.js';
import { type ParseSettings, parseOutputs } from '../results/parse-output.js';

export interface AlertKey {
  /** The alert's metric's iteration (0 when the report folds its iterations). */
  iteration: number;
  benchmark: string;
  /** The measure's slug and name: an output may key it by either. */
  measureSlug: string;
  measureName: string;
}

/**
 * The value of each alert's metric in every (round, arm) of a confirmation, parsed from the raw
 * outputs as the run itself was (its adapter, average and fold): `values[alert][arm][round]`, NaN
 * where a round's output lacks it (the statistics leave such values out). `raw` maps an output's
 * `iteration` (JobConfig.arms explains the numbering) to its text.
 */
export function armValues(
  settings: ParseSettings,
  raw: ReadonlyMap<number, string>,
  shape: { rounds: number; arms: number; iterations: number },
  alerts: readonly AlertKey[],
): number[][][] {
  const values = alerts.map(() =>
    Array.from({ length: shape.arms }, () => new Array<number>(shape.rounds).fill(Number.NaN)),
  );
  for (let round = 0; round < shape.rounds; round++) {
    for (let arm = 0; arm < shape.arms; arm++) {
      const first = (round * shape.arms + arm) * shape.iterations;
      const texts: string[] = [];
      for (let i = 0; i < shape.iterations; i++) {
        const text = raw.get(first + i);
        if (text !== undefined) texts.push(text);
      }
      if (texts.length < shape.iterations) continue;
      let sets: ReturnType<typeof parseOutputs>['sets'];
      try {
        sets = parseOutputs(settings, texts).sets;
      } catch (error) {
        if (!(error instanceof BenchlineError)) throw error;
        const slot = confirmationSlot(first, shape.arms, shape.iterations);
        throw new BenchlineError('PARSE_ERROR', `round ${slot.round + 1}, arm ${arm}: ${error.message}`);
      }
      alerts.forEach((alert, k) => {
        const set = sets[Math.min(alert.iteration, sets.length - 1)];
        const entry = set?.find((e) => e.name === alert.benchmark);
        const metric = entry?.measures[alert.measureSlug] ?? entry?.measures[alert.measureName];
        if (metric) values[k][arm][round] = metric.value;
      });
    }
  }
  return values;
}
