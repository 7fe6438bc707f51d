import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildRunPlan, groupThresholds, parseEnv } from '../../src/cli/run/args.js';
import { localCommand } from '../../src/cli/run/command.js';
import { CLI_ARGV } from '../helpers/cli-argv.js';

describe('threshold grouping (Bencher style)', () => {
  it('pairs the nth flag of each kind, `_` meaning not set', () => {
    const thresholds = groupThresholds({
      thresholdMeasure: ['latency', 'throughput'],
      thresholdTest: ['t_test', 'percentage'],
      thresholdMaxSampleSize: ['64', '_'],
      thresholdUpperBoundary: ['0.99', '_'],
      thresholdLowerBoundary: ['_', '0.1'],
    });
    expect(thresholds).toEqual([
      {
        measure: 'latency',
        test: 'T_TEST',
        minSampleSize: null,
        maxSampleSize: 64,
        window: null,
        lowerBoundary: null,
        upperBoundary: 0.99,
      },
      {
        measure: 'throughput',
        test: 'PERCENTAGE',
        minSampleSize: null,
        maxSampleSize: null,
        window: null,
        lowerBoundary: 0.1,
        upperBoundary: null,
      },
    ]);
  });

  it('rejects counts that do not line up, and thresholds without a boundary', () => {
    expect(() => groupThresholds({ thresholdMeasure: ['a', 'b'], thresholdTest: ['static'] })).toThrow(
      /2 --threshold-measure but 1 --threshold-test/,
    );
    expect(() =>
      groupThresholds({
        thresholdMeasure: ['a', 'b'],
        thresholdTest: ['static', 'static'],
        thresholdUpperBoundary: ['1'],
      }),
    ).toThrow(/1 --threshold-upper-boundary for 2 --threshold-measure/);
    expect(() => groupThresholds({ thresholdMeasure: ['a'], thresholdTest: ['static'] })).toThrow(
      /no boundary/,
    );
    expect(() =>
      groupThresholds({ thresholdMeasure: ['a'], thresholdTest: ['bogus'], thresholdUpperBoundary: ['1'] }),
    ).toThrow(/unknown value/);
  });
});

describe('--env', () => {
  it('keeps K=V, takes bare K from the environment, rejects bad names', () => {
    expect(parseEnv(['A=1', 'B=x=y', 'HOME_DIR'], { HOME_DIR: '/h' })).toEqual([
      'A=1',
      'B=x=y',
      'HOME_DIR=/h',
    ]);
    expect(() => parseEnv(['1A=x'], {})).toThrow(/not a variable name/);
    expect(() => parseEnv(['MISSING'], {})).toThrow(/not set/);
  });
});

describe('benchmark command', () => {
  it('runs one string through sh -c and several as argv', () => {
    expect(localCommand(['cargo bench --all'])).toEqual({
      file: '/bin/sh',
      args: ['-c', 'cargo bench --all'],
      display: 'cargo bench --all',
    });
    expect(localCommand(['node', 'bench.js', 'a b'])).toEqual({
      file: 'node',
      args: ['bench.js', 'a b'],
      display: "node bench.js 'a b'",
    });
    expect(localCommand([])).toBeNull();
  });
});

describe('run plan', () => {
  it('builds a remote run input with the job and uppercase enums', () => {
    const plan = buildRunPlan(['--quick'], {
      project: 'p',
      image: 'bench:v1',
      entrypoint: ['/bin/bench'],
      env: ['X=1'],
      jobTimeout: '120',
      file: ['/out/results.json'],
      fold: 'median',
      average: 'Mean',
      iter: '3',
      hash: 'ABCDEF1',
    });
    expect(plan.local).toBeNull();
    expect(plan.input).toMatchObject({
      project: 'p',
      hash: 'abcdef1',
      fold: 'MEDIAN',
      average: 'MEAN',
      iterations: 3,
      job: {
        image: 'bench:v1',
        entrypoint: ['/bin/bench'],
        cmd: ['--quick'],
        env: ['X=1'],
        timeout: 120,
        filePaths: ['/out/results.json'],
      },
    });
  });

  it('refuses what cannot work, saying what to do', () => {
    expect(() => buildRunPlan(['x'], {}, {})).toThrow(/no project/);
    expect(() => buildRunPlan([], { project: 'p' })).toThrow(/nothing to run/);
    expect(() => buildRunPlan(['x'], { project: 'p', spec: 'big' })).toThrow(
      /--spec only apply to runs on a runner/,
    );
    expect(() => buildRunPlan(['x'], { project: 'p', hash: 'nothex' })).toThrow(/not a git commit hash/);
    expect(() => buildRunPlan(['x'], { project: 'p', iter: '0' })).toThrow(/positive whole number/);
  });

  it('takes the project from BENCHLINE_PROJECT', () => {
    const plan = buildRunPlan(['echo {}'], {}, { BENCHLINE_PROJECT: 'env-project' });
    expect(plan.input.project).toBe('env-project');
    expect(plan.local?.args).toEqual(['-c', 'echo {}']);
  });
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `benchline …` in its own process, no server needed: these fail before any request. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...CLI_ARGV, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', BENCHLINE_HOST: 'http://127.0.0.1:9' } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('usage errors under --format json', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown option', ['threshold', 'list', '--project', 'p', '--bogus'], /unknown option '--bogus'/],
    ['a missing argument', ['branch', 'create', '--project', 'p'], /missing required argument 'name'/],
    ['a missing required option', ['threshold', 'list'], /required option '--project <slug>'/],
    ['a value outside its choices', ['run', '--fold', 'nope', 'true'], /argument 'nope' is invalid/],
  ];

  it.each(cases)(
    '%s is the error document on stdout, with the exit code of the human form',
    async (_, args, message) => {
      const human = await cli(args);
      expect(human.code).toBe(1);
      expect(human.stderr).toMatch(/^error: /m);
      const json = await cli([...args, '--format', 'json']);
      expect(json.code).toBe(human.code);
      expect(json.stderr).toBe('');
      const doc = JSON.parse(json.stdout);
      expect(doc).toEqual({
        error: {
          code: 'USAGE',
          message: expect.stringMatching(message),
          hint: expect.stringContaining('--help'),
        },
      });
      expect(doc.error.hint).toContain(`benchline ${args[0]}`);
    },
    60_000,
  );

  it('leaves --help and --version as they are (exit 0, text on stdout)', async () => {
    const help = await cli(['threshold', 'list', '--format', 'json', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: benchline threshold list/);
    const version = await cli(['--version', '--format=json']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  }, 60_000);
});
