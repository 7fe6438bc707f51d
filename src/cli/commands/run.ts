import { type Command, InvalidArgumentError, Option } from 'commander';
import { collect, connectionOptions, examples } from '../command-options.js';
import { type RunFlags, TESTS } from '../run/args.js';

/** The server's adapters (run-help.test.ts holds this list to the server's own). */
export const ADAPTERS = [
  'magic',
  'json',
  'rust_bench',
  'rust_criterion',
  'rust_iai',
  'rust_iai_callgrind',
  'rust_gungraun',
  'go_bench',
  'cpp_google',
  'cpp_catch2',
  'java_jmh',
  'c_sharp_dot_net',
  'js_benchmark',
  'js_time',
  'js_vitest',
  'python_pytest',
  'python_asv',
  'ruby_benchmark',
  'shell_hyperfine',
  'dart_benchmark_harness',
  'elixir_benchee',
];

export function register(program: Command): void {
  // passThroughOptions below needs it: options before `run` belong to benchline, after it to run.
  program.enablePositionalOptions();
  const command = program
    .command('run')
    .description('Run a benchmark (locally, or on a runner with --image) and track its results')
    .argument(
      '[command...]',
      'the benchmark command, last: one string runs through sh -c, several run as argv (options after it are its own)',
    )
    .option('--project <slug>', 'project slug or id (env BENCHLINE_PROJECT)')
    .option('--branch <name>', 'branch name, slug or id (created when missing)')
    .option('--hash <sha>', 'git commit hash of this run')
    .option('--start-point <branch>', 'branch a new branch starts from (its history and baseline)')
    .option('--start-point-hash <sha>', 'git hash on the start point branch')
    .option('--start-point-clone-thresholds', "copy the start point's thresholds to the new branch")
    .option('--start-point-reset', 'start the branch afresh from its start point')
    .option('--testbed <name>', 'testbed name, slug or id (created when missing)')
    .addOption(
      new Option('--adapter <adapter>', "how to read the benchmark's output (default: magic)").choices(
        ADAPTERS,
      ),
    )
    .option('--image <name:tag>', "run on a runner: the image in the project's registry")
    .option('--spec <slug>', 'hardware spec the job needs (default: the testbed’s, else the server default)')
    .option('--entrypoint <arg>', 'override the image entrypoint (repeat for each argument)', collect)
    .option('--cmd <arg>', 'override the image command (repeat; or give the command positionally)', collect)
    .option('--env <K=V>', 'environment variable for the job (repeatable)', collect)
    .option('--job-timeout <seconds>', 'stop the job after this long')
    .option(
      '--file <path>',
      'read results from this file instead of stdout (repeatable for --image)',
      collect,
    )
    .addOption(new Option('--iter <n>', 'run the benchmark this many times').default(1))
    .addOption(
      new Option('--fold <how>', 'combine iterations into one value').choices([
        'min',
        'max',
        'mean',
        'median',
      ]),
    )
    .addOption(
      new Option('--average <how>', 'which average harness outputs report').choices(['mean', 'median']),
    )
    .option('--threshold-measure <measure>', 'threshold measure; one per threshold (repeatable)', collect)
    .addOption(
      // choices() alone would keep only the last of a repeated flag: the parser checks and collects.
      new Option('--threshold-test <test>', 'threshold test; one per --threshold-measure (repeatable)')
        .choices(TESTS)
        .argParser((value: string, previous: string[] = []) => {
          if (!TESTS.includes(value)) {
            throw new InvalidArgumentError(`Allowed choices are ${TESTS.join(', ')}.`);
          }
          return [...previous, value];
        }),
    )
    .option('--threshold-min-sample-size <n>', 'per threshold, `_` for none (repeatable)', collect)
    .option('--threshold-max-sample-size <n>', 'per threshold, `_` for none (repeatable)', collect)
    .option('--threshold-window <seconds>', 'per threshold, `_` for none (repeatable)', collect)
    .option('--threshold-lower-boundary <b>', 'per threshold, `_` for none (repeatable)', collect)
    .option('--threshold-upper-boundary <b>', 'per threshold, `_` for none (repeatable)', collect)
    .option('--thresholds-reset', 'archive thresholds of this branch and testbed not given here')
    .option(
      '--confirm-rounds <n>',
      "rounds of the interleaved re-run that confirms an image run's alerts (default: the project's, 5)",
    )
    .option('--no-confirm', 'do not confirm alerts (they stay UNCONFIRMABLE)')
    .option('--err', 'exit 1 when an alert is raised and not cleared by its confirmation')
    .addOption(
      new Option('--format <format>', 'output: live, JSON, or a pull-request report (see docs/ci.md)')
        .choices(['human', 'json', 'markdown'])
        .default('human'),
    )
    .option('--quiet', 'plain output without the benchmark’s own output')
    .option('--detach', 'submit and return at once, printing the job id')
    // Everything after the benchmark command belongs to it: `run cargo bench --all`.
    .passThroughOptions();
  connectionOptions(command);
  examples(command, [
    'benchline run --project my-app --adapter rust_bench "cargo bench"',
    'benchline run --project my-app --adapter json --iter 3 --fold median ./bench.sh --quick',
    'benchline run --project my-app --image my-bench:v1 --adapter json --format markdown --err   # CI: docs/ci.md',
    'benchline run --project my-app --image my-bench:v1 --adapter json --testbed ci --spec large',
    'benchline run --project my-app --branch feat --start-point main --image my-bench:v1 --detach',
    'benchline run --project my-app --threshold-measure latency --threshold-test t_test \\\n' +
      '      --threshold-upper-boundary 0.99 --err "npm run bench"',
  ]);
  command.action(async (positional: string[], flags: RunFlags) => {
    const { runCommand } = await import('../run/cli.js');
    const code = await runCommand(positional, flags);
    // Kept-alive sockets (HTTP, the subscriptions' WebSocket) would hold the process a second or
    // more after the report: exit once what was printed is out.
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}
