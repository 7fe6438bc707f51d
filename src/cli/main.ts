#!/usr/bin/env node
import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { reportError } from './errors.js';

// Only argument parsing happens here; each command loads what it needs (Ink, pg, …) when it runs.
const program = new Command()
  .name('benchline')
  .description('Continuous benchmarking: run benchmarks on runners, track them, catch regressions.')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .enablePositionalOptions()
  .configureHelp({ sortSubcommands: true });

for (const register of COMMANDS) register(program);

program.parseAsync(process.argv).catch((error) => {
  reportError(error);
  process.exit(1);
});
