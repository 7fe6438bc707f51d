import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { CommandError, type ContainerCommand, DEFAULT_PATH } from './executors/docker-semantics.js';
import { resolveInSandbox } from './executors/sandbox-paths.js';

/**
 * Fails a job whose command is not in its image before it runs, as IMAGE_ERROR: otherwise the
 * sandbox's exec error reads like the benchmark's own failure (NONZERO_EXIT, then a parse error of
 * output that never came). Looked up as execvp does — a name with a slash from the working
 * directory, else along PATH — with symlinks resolved inside the rootfs, never on the host.
 */
export function assertCommandInImage(rootfs: string, command: ContainerCommand): void {
  const name = command.argv[0];
  const mounts = [{ sandboxPath: '/', hostPath: rootfs }];
  const candidates = name.includes('/')
    ? [posix.resolve(command.workingDir, name)]
    : (command.env.PATH ?? DEFAULT_PATH)
        .split(':')
        .map((dir) => posix.resolve(command.workingDir, dir || '.', name));
  for (const path of candidates) {
    try {
      if (statSync(resolveInSandbox(mounts, path), { throwIfNoEntry: false })?.isFile()) return;
    } catch {
      // A symlink loop or an unreadable directory: exec would not find the command there either.
    }
  }
  const where = name.includes('/') ? '' : ` (looked along PATH=${command.env.PATH ?? DEFAULT_PATH})`;
  throw new CommandError(
    `no such command in the image: ${name}${where}; fix --entrypoint/--cmd or the image's ENTRYPOINT`,
  );
}
