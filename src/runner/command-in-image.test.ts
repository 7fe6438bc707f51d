import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertCommandInImage } from './command-in-image.js';
import { CommandError } from './executors/docker-semantics.js';

let rootfs: string;
beforeEach(() => {
  rootfs = mkdtempSync(join(tmpdir(), 'benchline-command-'));
  mkdirSync(join(rootfs, 'bin'));
  mkdirSync(join(rootfs, 'opt/bench'), { recursive: true });
  writeFileSync(join(rootfs, 'bin/busybox'), '');
  // An absolute link, as images have them: it must resolve in the rootfs, not on the host.
  symlinkSync('/bin/busybox', join(rootfs, 'bin/sh'));
  writeFileSync(join(rootfs, 'opt/bench/run.sh'), '');
});
afterEach(() => rmSync(rootfs, { recursive: true, force: true }));

const command = (argv: string[], extra: { PATH?: string; workingDir?: string } = {}) => ({
  argv,
  env: (extra.PATH ? { PATH: extra.PATH } : {}) as Record<string, string>,
  workingDir: extra.workingDir ?? '/',
});

describe('assertCommandInImage', () => {
  it('finds absolute, relative and PATH commands, following links inside the rootfs', () => {
    expect(() => assertCommandInImage(rootfs, command(['/bin/sh', '-c', 'true']))).not.toThrow();
    expect(() =>
      assertCommandInImage(rootfs, command(['./run.sh'], { workingDir: '/opt/bench' })),
    ).not.toThrow();
    expect(() => assertCommandInImage(rootfs, command(['sh'], { PATH: '/usr/bin:/bin' }))).not.toThrow();
    expect(() => assertCommandInImage(rootfs, command(['busybox']))).not.toThrow();
  });

  it('fails a missing command as an image problem that names it', () => {
    const missing = () => assertCommandInImage(rootfs, command(['/nope']));
    expect(missing).toThrow(CommandError);
    expect(missing).toThrow('no such command in the image: /nope');
    expect(() => assertCommandInImage(rootfs, command(['bench'], { PATH: '/bin' }))).toThrow(
      'no such command in the image: bench (looked along PATH=/bin)',
    );
    // A directory is not a command.
    expect(() => assertCommandInImage(rootfs, command(['/opt/bench']))).toThrow(CommandError);
  });

  it('does not find a command through a link that points at the host', () => {
    // /usr/bin/env exists on the host; inside the rootfs the link's target does not.
    symlinkSync('/usr/bin/env', join(rootfs, 'bin/env'));
    expect(() => assertCommandInImage(rootfs, command(['/bin/env']))).toThrow(CommandError);
  });
});
