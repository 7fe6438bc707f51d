import type { Command } from 'commander';
import { examples, exitWith } from '../command-options.js';

export function register(program: Command): void {
  const noise = program
    .command('noise')
    .description(
      "Measure this host's noise on the benchmark cores: a fixed CPU-bound loop's CV, steal, jitter",
    )
    .option('--cpus <list>', 'cores to measure, e.g. 1 or 2,3 (default: the benchmark cores, all but core 0)')
    .option('--reps <n>', 'timed repetitions of the ≈5 ms workload unit', '100')
    .option('--max-cv <percent>', 'exit with status 2 when the CV is above this', '5')
    .option(
      '--format <format>',
      'human, or json (Bencher Metric Format, for `benchline run --adapter json`)',
      'human',
    );
  examples(noise, [
    'benchline noise',
    'benchline noise --cpus 3 --max-cv 2',
    'benchline noise --format json',
  ]);
  noise.action(async (flags) => exitWith(await (await import('../actions/noise.js')).noise(flags)));
}
