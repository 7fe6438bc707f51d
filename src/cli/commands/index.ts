import type { Command } from 'commander';
import { register as admin } from './admin.js';
import { register as alert } from './alert.js';
import { register as auth } from './auth.js';
import { register as benchmark } from './benchmark.js';
import { register as branch } from './branch.js';
import { register as image } from './image.js';
import { register as job } from './job.js';
import { register as noise } from './noise.js';
import { register as organization } from './organization.js';
import { register as project } from './project.js';
import { register as run } from './run.js';
import { register as runner } from './runner.js';
import { register as runnerRun } from './runner-run.js';
import { register as runnerUp } from './runner-up.js';
import { register as server } from './server.js';
import { register as spec } from './spec.js';
import { register as testbed } from './testbed.js';
import { register as threshold } from './threshold.js';

/**
 * Every top-level command registers itself here; registration is cheap, loading happens on use.
 * runnerUp stays after runner.ts (create|list): it adds `up` to the `runner` command defined there.
 */
export const COMMANDS: Array<(program: Command) => void> = [
  run,
  job,
  image,
  organization,
  project,
  branch,
  testbed,
  benchmark,
  threshold,
  alert,
  spec,
  runner,
  auth,
  server,
  admin,
  noise,
  runnerUp,
  runnerRun,
];
