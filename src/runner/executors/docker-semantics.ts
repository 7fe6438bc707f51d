import { posix } from 'node:path';

/** Docker's PATH when an image sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ImageRuntimeConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string | null;
  User?: string | null;
}

export interface JobOverrides {
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  user?: string;
}

export interface ContainerCommand {
  argv: string[];
  env: Record<string, string>;
  workingDir: string;
  user?: string;
}

export class CommandError extends Error {
  readonly code = 'COMMAND_ERROR' as const;
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

function parseEnv(list: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    // Docker treats a bare `NAME` as set-to-empty in image configs.
    if (eq < 0) env[item] = '';
    else if (eq > 0) env[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return env;
}

/**
 * What `docker run` would execute: an overridden entrypoint drops the image's CMD (a job cmd still
 * applies), env is the image's then the job's, the working directory comes from the image or `/`.
 */
export function computeCommand(
  image: ImageRuntimeConfig | undefined,
  job: JobOverrides = {},
): ContainerCommand {
  const entrypoint = job.entrypoint ?? image?.Entrypoint ?? [];
  const cmd = job.cmd ?? (job.entrypoint !== undefined ? [] : (image?.Cmd ?? []));
  const argv = [...entrypoint, ...cmd];
  if (argv.length === 0 || argv[0] === '')
    throw new CommandError('no command: the image and job set neither entrypoint nor cmd');

  const env = { ...parseEnv(image?.Env ?? []), ...(job.env ?? {}) };
  if (env.PATH === undefined) env.PATH = DEFAULT_PATH;

  const wd = job.workingDir || image?.WorkingDir || '/';
  const workingDir = posix.resolve('/', wd);
  const user = job.user || image?.User || undefined;
  return user ? { argv, env, workingDir, user } : { argv, env, workingDir };
}
