import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The shared libraries a dynamically linked program needs, as `ldd` reports them. */
function libraries(program: string): string[] {
  const out = execFileSync('ldd', [program], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /(\/\S+) \(0x/.exec(line)?.[1] ?? /=> (\/\S+)/.exec(line)?.[1])
    .filter((path): path is string => Boolean(path));
}

function place(root: string, source: string, target = source): void {
  const destination = join(root, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(realpathSync(source), destination);
  chmodSync(destination, 0o755);
}

/**
 * A directory to pack into the demo's benchmark image: the host's /bin/sh and date with the
 * libraries they load, and the benchmark script. Nothing beyond a glibc Linux host is needed.
 */
export function buildDemoContext(root: string): void {
  const shell = existsSync('/bin/dash') ? '/bin/dash' : '/bin/sh';
  const date = existsSync('/bin/date') ? '/bin/date' : '/usr/bin/date';
  place(root, shell, '/bin/sh');
  place(root, date, '/bin/date');
  for (const lib of new Set([...libraries(shell), ...libraries(date)])) place(root, lib);
  place(root, new URL('./run.sh', import.meta.url).pathname, '/bench/run.sh');
}
