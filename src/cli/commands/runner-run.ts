import type { Command } from 'commander';
import { collect, connectionOptions, examples, exitWith } from '../command-options.js';
import { runnerGroup } from './runner.js';

export function register(program: Command): void {
  const run = connectionOptions(
    runnerGroup(program)
      .command('run')
      .description(
        "Pull one image and run it once here, exactly as a job would (same sandbox, same pinning); print its output and the adapter's parse",
      )
      .argument('<image>', '[host/]<project>/<name>[:tag|@sha256:…] in the server’s registry'),
  )
    .option('--cmd <arg...>', "the command's arguments (replace the image's CMD)")
    .option('--entrypoint <arg...>', "replace the image's ENTRYPOINT (and clear its CMD)")
    .option('--env <KEY=VALUE>', 'set a variable for the workload (repeatable)', collect)
    .option('--adapter <name>', 'parse the output with this adapter', 'magic')
    .option('--network', 'give the workload the network (as a spec with network does)')
    .option('--timeout <seconds>', 'kill the workload after this long', '600')
    .option('--executor <name>', 'bwrap (isolated, default) or host (no isolation)', 'bwrap')
    .option('--i-understand-host-executor-has-no-isolation', 'required with --executor host')
    .option('--work-dir <dir>', 'blob cache and scratch (default ~/.cache/benchline/runner-run)')
    .option('--format <format>', 'human (output live, then the parse) or json (one document)', 'human');
  examples(run, [
    'benchline runner run my-project/bench:v1',
    'benchline runner run my-project/bench:v1 --cmd --quick --adapter json',
    'benchline runner run my-project/bench@sha256:… --format json',
  ]);
  run.action(async (image, flags) =>
    exitWith(await (await import('../actions/runner-run.js')).runnerRun(image, flags)),
  );
}
