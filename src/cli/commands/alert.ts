import type { Command } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

export function register(program: Command): void {
  const alert = program.command('alert').description('Regression alerts');

  const list = formatOption(
    connectionOptions(alert.command('list').description('List alerts (active ones by default)')),
  )
    .requiredOption('--project <slug>', 'project slug or id')
    .option('--status <status>', 'active, dismissed or silenced', 'active')
    .option('--all', 'every status');
  examples(list, ['benchline alert list --project my-app', 'benchline alert list --project my-app --all']);
  list.action(async (flags) => (await import('../actions/alert.js')).listAlerts(flags.project, flags));

  const dismiss = formatOption(
    connectionOptions(alert.command('dismiss').description('Dismiss an alert').argument('<id>')),
  );
  examples(dismiss, ['benchline alert dismiss 0190…']);
  dismiss.action(async (id, flags) => (await import('../actions/alert.js')).dismissAlert(id, flags));
}
