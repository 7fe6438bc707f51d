import type { Command } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

export function register(program: Command): void {
  const threshold = program.command('threshold').description('Thresholds: when a metric raises an alert');

  const list = formatOption(
    connectionOptions(threshold.command('list').description('List thresholds')),
  ).requiredOption('--project <slug>', 'project slug or id');
  examples(list, ['benchline threshold list --project my-app']);
  list.action(async (flags) =>
    (await import('../actions/threshold.js')).listThresholds(flags.project, flags),
  );

  const create = formatOption(
    connectionOptions(threshold.command('create').description('Create or replace a threshold')),
  )
    .requiredOption('--project <slug>', 'project slug or id')
    .requiredOption('--branch <branch>', 'branch')
    .requiredOption('--testbed <testbed>', 'testbed')
    .requiredOption('--measure <measure>', 'measure, e.g. latency')
    .requiredOption('--test <test>', 'static, percentage, z_score, t_test, log_normal, iqr, delta_iqr')
    .option('--min-sample-size <n>', 'fewest history points before it judges')
    .option('--max-sample-size <n>', 'most history points it uses')
    .option('--window <seconds>', 'how far back the history reaches')
    .option('--lower-boundary <b>', 'lower boundary (meaning depends on the test)')
    .option('--upper-boundary <b>', 'upper boundary (meaning depends on the test)');
  examples(create, [
    'benchline threshold create --project my-app --branch main --testbed ci --measure latency \\\n' +
      '      --test t_test --upper-boundary 0.99 --max-sample-size 64',
  ]);
  create.action(async (flags) => (await import('../actions/threshold.js')).createThreshold(flags));
}
