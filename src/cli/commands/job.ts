import type { Command } from 'commander';
import { connectionOptions, examples, exitWith, formatOption } from '../command-options.js';

export function register(program: Command): void {
  const job = program.command('job').description('Jobs: benchmark runs on runners');

  const list = formatOption(
    connectionOptions(job.command('list').description("List a project's jobs, newest first")),
  )
    .requiredOption('--project <slug>', 'project slug or id')
    .option('--status <status>', 'pending, claimed, running, completed, processed, failed or canceled')
    .option('--limit <n>', 'how many', '20');
  examples(list, [
    'benchline job list --project my-app',
    'benchline job list --project my-app --status failed',
  ]);
  list.action(async (flags) => (await import('../actions/job.js')).listJobs(flags));

  const view = formatOption(
    connectionOptions(job.command('view').description('Show a job').argument('<id>')),
  );
  examples(view, ['benchline job view 0190…', 'benchline job view 0190… --format json']);
  view.action(async (id, flags) => (await import('../actions/job.js')).viewJob(id, flags));

  const logs = connectionOptions(
    job.command('logs').description("Print a job's output").argument('<id>'),
  ).option('-f, --follow', 'keep printing live output until the job ends');
  examples(logs, ['benchline job logs 0190…', 'benchline job logs --follow 0190…']);
  logs.action(async (id, flags) => exitWith(await (await import('../actions/job.js')).jobLogs(id, flags)));

  const cancel = connectionOptions(
    job.command('cancel').description('Cancel a pending or running job').argument('<id>'),
  );
  examples(cancel, ['benchline job cancel 0190…']);
  cancel.action(async (id, flags) => (await import('../actions/job.js')).cancelJobCommand(id, flags));
}
