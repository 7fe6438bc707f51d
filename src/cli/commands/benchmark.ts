import type { Command } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

/** `benchmark` and `measure`: the same list and create, over a project's benchmarks or measures. */
export function register(program: Command): void {
  for (const kind of ['benchmark', 'measure'] as const) {
    const group = program
      .command(kind)
      .description(
        kind === 'benchmark' ? "A project's benchmarks" : "A project's measures (what is measured)",
      );

    const list = formatOption(connectionOptions(group.command('list').description(`List ${kind}s`)))
      .requiredOption('--project <slug>', 'project slug or id')
      .option('--limit <n>', 'how many', '100')
      .option('--archived', `archived ${kind}s instead`);
    examples(list, [
      `benchline ${kind} list --project my-app`,
      `benchline ${kind} list --project my-app --format json`,
    ]);
    list.action(async (flags) => (await import('../actions/benchmark.js')).listSeries(kind, flags));

    const create = formatOption(
      connectionOptions(group.command('create').description(`Create a ${kind}`).argument('<name>')),
    )
      .requiredOption('--project <slug>', 'project slug or id')
      .option('--slug <slug>', 'URL name (default: from the name)');
    if (kind === 'measure') create.option('--units <units>', 'e.g. "nanoseconds (ns)" (default: units)');
    examples(create, [
      kind === 'benchmark'
        ? 'benchline benchmark create "sort 1000" --project my-app'
        : 'benchline measure create file-size --project my-app --units "bytes (B)"',
    ]);
    create.action(async (name, flags) =>
      (await import('../actions/benchmark.js')).createSeries(kind, name, flags),
    );
  }
}
