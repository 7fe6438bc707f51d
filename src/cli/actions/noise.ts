import { availableParallelism } from 'node:os';
import { benchmarkCores } from '../../runner/executors/limits.js';
import { findExecutable } from '../../runner/executors/probe.js';
import { describeNoise, noiseToBmf } from '../../runner/noise/format.js';
import { measureNoise } from '../../runner/noise/measure.js';
import { parseCpuList } from '../../runner/noise/proc.js';
import { CliError } from '../errors.js';
import { printJson } from '../output/json.js';

export interface NoiseFlags {
  cpus?: string;
  reps: string;
  maxCv: string;
  format: string;
}

/** Exit status when the measured CV is above --max-cv (1 stays for errors). */
export const NOISY_EXIT_CODE = 2;

export async function noise(flags: NoiseFlags): Promise<number> {
  if (flags.format !== 'human' && flags.format !== 'json') {
    throw new CliError(`unknown format ${flags.format}`, 'use --format human or --format json');
  }
  const reps = Number(flags.reps);
  if (!Number.isInteger(reps) || reps < 2 || reps > 100_000) {
    throw new CliError(`--reps ${flags.reps} is not a whole number from 2 to 100000`);
  }
  const maxCv = Number(flags.maxCv);
  if (!Number.isFinite(maxCv) || maxCv <= 0)
    throw new CliError(`--max-cv ${flags.maxCv} is not a percentage > 0`);
  const cores = availableParallelism();
  let cpus = benchmarkCores(cores);
  if (flags.cpus !== undefined) {
    cpus = parseCpuList(flags.cpus);
    if (cpus.length === 0 || cpus.some((c) => c >= cores) || !/^[\d,-]+$/.test(flags.cpus)) {
      throw new CliError(`--cpus ${flags.cpus} names no core of this host`, `cores here: 0-${cores - 1}`);
    }
  }
  const report = await measureNoise({ cpus, reps, taskset: await findExecutable('taskset') });
  if (flags.format === 'json') printJson(noiseToBmf(report));
  else for (const line of describeNoise(report, maxCv)) console.log(line);
  if (report.cvPct > maxCv) {
    process.stderr.write(`noise: CV ${report.cvPct.toFixed(2)}% is above --max-cv ${maxCv}%\n`);
    return NOISY_EXIT_CODE;
  }
  return 0;
}
