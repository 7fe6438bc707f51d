#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { reportError, wantsJson } from './errors.js';
import { throwUsageErrors, usageError } from './usage-errors.js';

// Only argument parsing happens here; each command loads what it needs (Ink, pg, …) when it runs.
const program = new Command()
  .name('benchline')
  .description('Continuous benchmarking: run benchmarks on runners, track them, catch regressions.')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .enablePositionalOptions()
  .configureHelp({ sortSubcommands: true });

const json = wantsJson(process.argv);
if (json) throwUsageErrors(program);

for (const register of COMMANDS) register(program);

program.parseAsync(process.argv).catch((error) => {
  if (error instanceof CommanderError) {
    const usage = usageError(error, program, process.argv.slice(2));
    if (usage) reportError(usage, json);
    process.exit(error.exitCode);
  }
  reportError(error);
  process.exit(1);
});
