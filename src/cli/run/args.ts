import type {
  CreateRunInput,
  RunJobInput as JobInput,
  ModelTest,
  ThresholdInput,
} from '../../gql/graphql.js';
import { CliError } from '../errors.js';
import { type LocalCommand, localCommand } from './command.js';

/** The flags commander collects for `benchline run` (repeatable ones as arrays). */
export interface RunFlags {
  project?: string;
  branch?: string;
  hash?: string;
  startPoint?: string;
  startPointHash?: string;
  startPointCloneThresholds?: boolean;
  startPointReset?: boolean;
  testbed?: string;
  adapter?: string;
  image?: string;
  spec?: string;
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  jobTimeout?: string;
  file?: string[];
  iter?: string | number;
  fold?: string;
  average?: string;
  thresholdMeasure?: string[];
  thresholdTest?: string[];
  thresholdMinSampleSize?: string[];
  thresholdMaxSampleSize?: string[];
  thresholdWindow?: string[];
  thresholdLowerBoundary?: string[];
  thresholdUpperBoundary?: string[];
  thresholdsReset?: boolean;
  err?: boolean;
  format?: string;
  quiet?: boolean;
  detach?: boolean;
  confirmRounds?: string;
  /** commander's negation of --no-confirm: false when given. */
  confirm?: boolean;
  host?: string;
  token?: string;
}

/**
 * CreateRunInput without the results, which a local run adds after running. The input types are
 * the API's own (src/gql, generated from schema.graphql), so the CLI cannot drift from createRun.
 */
export type RunInput = Omit<CreateRunInput, 'results' | 'startTime' | 'endTime'>;

export interface RunPlan {
  input: RunInput;
  /** Set for a local run; null when a runner executes the image. */
  local: LocalCommand | null;
  /** Files a local run reads its results from instead of stdout. */
  localFiles: string[];
  iterations: number;
  format: 'human' | 'json' | 'markdown';
  quiet: boolean;
  detach: boolean;
  err: boolean;
}

const FORMATS = ['human', 'json', 'markdown'];
export const TESTS = ['static', 'percentage', 'z_score', 't_test', 'log_normal', 'iqr', 'delta_iqr'];
const HASH = /^[0-9a-f]{7,64}$/i;

export function buildRunPlan(positional: string[], flags: RunFlags, env = process.env): RunPlan {
  const project = flags.project ?? env.BENCHLINE_PROJECT;
  if (!project) {
    throw new CliError('no project given', 'pass --project <slug> (or set BENCHLINE_PROJECT)', 'BAD_INPUT');
  }
  const format = oneOf('--format', flags.format ?? 'human', FORMATS) as RunPlan['format'];
  const iterations = positiveInt('--iter', flags.iter) ?? 1;
  if (flags.hash && !HASH.test(flags.hash)) {
    throw new CliError(`--hash ${flags.hash} is not a git commit hash`, 'pass the full or abbreviated sha');
  }
  if (flags.startPointHash && !HASH.test(flags.startPointHash)) {
    throw new CliError(`--start-point-hash ${flags.startPointHash} is not a git commit hash`, 'pass a sha');
  }
  const image = flags.image;
  const local = image ? null : localCommand(positional);
  if (!image && !local) {
    throw new CliError(
      'nothing to run',
      'give the benchmark command (`benchline run … "cargo bench"`) or an image with --image',
      'BAD_INPUT',
    );
  }
  if (!image) {
    const imageOnly: Array<[string, unknown]> = [
      ['--spec', flags.spec],
      ['--entrypoint', flags.entrypoint?.length],
      ['--cmd', flags.cmd?.length],
      ['--env', flags.env?.length],
      ['--job-timeout', flags.jobTimeout],
    ];
    const used = imageOnly.filter(([, value]) => value).map(([name]) => name);
    if (used.length) {
      throw new CliError(`${used.join(', ')} only apply to runs on a runner`, 'add --image <name:tag>');
    }
    if ((flags.file?.length ?? 0) > 1) {
      throw new CliError('a local run reads one results --file', 'pass a single --file', 'BAD_INPUT');
    }
  }
  if (!image && (flags.confirmRounds !== undefined || flags.confirm === false)) {
    throw new CliError(
      '--confirm-rounds and --no-confirm only apply to runs on a runner',
      'add --image <name:tag>',
    );
  }
  if (image && positional.length && flags.cmd?.length) {
    throw new CliError('both --cmd and a command were given', 'use one of them');
  }

  const job: JobInput | null = image
    ? {
        image,
        entrypoint: flags.entrypoint?.length ? flags.entrypoint : null,
        cmd: flags.cmd?.length ? flags.cmd : positional.length ? positional : null,
        env: flags.env?.length ? parseEnv(flags.env) : null,
        timeout: positiveInt('--job-timeout', flags.jobTimeout),
        spec: flags.spec ?? null,
        filePaths: flags.file?.length ? flags.file : null,
        confirmRounds: confirmRounds(flags),
      }
    : null;

  const thresholds = groupThresholds(flags);
  const input: RunInput = {
    project,
    ...defined({
      branch: flags.branch,
      hash: flags.hash?.toLowerCase(),
      startPoint: flags.startPoint,
      startPointHash: flags.startPointHash?.toLowerCase(),
      startPointCloneThresholds: flags.startPointCloneThresholds,
      startPointReset: flags.startPointReset,
      testbed: flags.testbed,
      adapter: flags.adapter,
      average: upper('--average', flags.average, ['mean', 'median']) as RunInput['average'],
      fold: upper('--fold', flags.fold, ['min', 'max', 'mean', 'median']) as RunInput['fold'],
      thresholdsReset: flags.thresholdsReset,
    }),
    iterations,
    ...(job && { job }),
    ...(thresholds.length && { thresholds }),
  };
  return {
    input,
    local,
    localFiles: image ? [] : (flags.file ?? []),
    iterations,
    format,
    quiet: Boolean(flags.quiet),
    detach: Boolean(flags.detach),
    err: Boolean(flags.err),
  };
}

/** --no-confirm is 0 rounds; --confirm-rounds 1–30; neither: the project's setting. */
function confirmRounds(flags: RunFlags): number | null {
  if (flags.confirm === false) {
    if (flags.confirmRounds !== undefined) {
      throw new CliError('both --no-confirm and --confirm-rounds were given', 'use one of them', 'BAD_INPUT');
    }
    return 0;
  }
  if (flags.confirmRounds === undefined) return null;
  const n = Number(flags.confirmRounds);
  if (!Number.isInteger(n) || n < 1 || n > 30) {
    throw new CliError(
      `--confirm-rounds ${flags.confirmRounds} is not a whole number from 1 to 30`,
      'or pass --no-confirm',
      'BAD_INPUT',
    );
  }
  return n;
}

/** `K=V` entries; a bare `K` takes the value from this environment, as `docker run -e K` does. */
export function parseEnv(entries: string[], env = process.env): string[] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const key = eq === -1 ? entry : entry.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new CliError(`--env ${entry}: "${key}" is not a variable name`, 'write it as --env NAME=value');
    }
    if (eq !== -1) return entry;
    const value = env[key];
    if (value === undefined) {
      throw new CliError(`--env ${key}: not set in this environment`, `write it as --env ${key}=value`);
    }
    return `${key}=${value}`;
  });
}

/**
 * Bencher's grouping: the nth --threshold-measure goes with the nth --threshold-test and the nth
 * of every other threshold flag. An optional flag is either left out entirely or given once per
 * measure, with `_` standing for "not set" in that position.
 */
export function groupThresholds(flags: RunFlags): ThresholdInput[] {
  const measures = flags.thresholdMeasure ?? [];
  const tests = flags.thresholdTest ?? [];
  if (measures.length !== tests.length) {
    throw new CliError(
      `${measures.length} --threshold-measure but ${tests.length} --threshold-test`,
      'give one --threshold-test after each --threshold-measure',
      'BAD_INPUT',
    );
  }
  const column = (name: string, values: string[] | undefined, parse: (flag: string, v: string) => number) => {
    if (!values?.length) return measures.map(() => null);
    if (values.length !== measures.length) {
      throw new CliError(
        `${values.length} --threshold-${name} for ${measures.length} --threshold-measure`,
        `give --threshold-${name} once per measure, using _ where it does not apply`,
        'BAD_INPUT',
      );
    }
    return values.map((v) => (v === '_' ? null : parse(`--threshold-${name}`, v)));
  };
  const minSample = column('min-sample-size', flags.thresholdMinSampleSize, sampleSize);
  const maxSample = column('max-sample-size', flags.thresholdMaxSampleSize, sampleSize);
  const window = column('window', flags.thresholdWindow, (f, v) => positiveInt(f, v)!);
  const lower = column('lower-boundary', flags.thresholdLowerBoundary, boundary);
  const upper = column('upper-boundary', flags.thresholdUpperBoundary, boundary);
  return measures.map((measure, i) => {
    const test = oneOf('--threshold-test', tests[i].toLowerCase().replaceAll('-', '_'), TESTS);
    if (lower[i] === null && upper[i] === null) {
      throw new CliError(
        `threshold ${i + 1} (${measure}, ${test}) has no boundary`,
        'give --threshold-lower-boundary or --threshold-upper-boundary for it (or both)',
        'BAD_INPUT',
      );
    }
    return {
      measure,
      test: test.toUpperCase() as ModelTest,
      minSampleSize: minSample[i],
      maxSampleSize: maxSample[i],
      window: window[i],
      lowerBoundary: lower[i],
      upperBoundary: upper[i],
    };
  });
}

function sampleSize(flag: string, value: string): number {
  const n = positiveInt(flag, value)!;
  if (n < 2) throw new CliError(`${flag} ${value}: needs at least 2 samples`, 'use 2 or more');
  return n;
}

function boundary(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new CliError(`${flag} ${value}: not a non-negative number`, 'e.g. 0.99');
  return n;
}

function positiveInt(flag: string, value: string | number | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} ${value}: not a positive whole number`, 'e.g. 3');
  return n;
}

function oneOf(flag: string, value: string, allowed: string[]): string {
  const v = value.toLowerCase();
  if (!allowed.includes(v))
    throw new CliError(`${flag} ${value}: unknown value`, `use one of ${allowed.join(', ')}`);
  return v;
}

function upper(flag: string, value: string | undefined, allowed: string[]): string | undefined {
  return value ? oneOf(flag, value, allowed).toUpperCase() : undefined;
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<T>;
}
