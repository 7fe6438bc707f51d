// The host programs `npm run demo` and `npm test` need beyond Node, checked before either starts so a
// fresh machine gets one line naming what is missing and the command that installs it, not a stack
// trace from deep inside a test. One list for both; the README's prerequisites are this list.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Prerequisite {
  /** What to look for: an executable on PATH, or an absolute path to a file. Any one of them will do. */
  anyOf: string[];
  /** The Debian/Ubuntu package that provides it. */
  aptPackage: string;
  /** Why it is needed, for the README and the error line. */
  usedFor: string;
}

/** The runner's sandbox: both the demo and the tests run jobs in it. */
export const sandboxPrerequisites: Prerequisite[] = [
  { anyOf: ['bwrap'], aptPackage: 'bubblewrap', usedFor: 'the runner sandbox' },
];

export const demoPrerequisites: Prerequisite[] = [
  ...sandboxPrerequisites,
  { anyOf: ['ldd'], aptPackage: 'libc-bin', usedFor: 'the demo image (copies the host /bin/sh)' },
];

export const testPrerequisites: Prerequisite[] = [
  ...sandboxPrerequisites,
  // The test images are busybox: the static binary at this exact path is copied into their layers.
  { anyOf: ['/usr/bin/busybox'], aptPackage: 'busybox-static', usedFor: 'the test images' },
  {
    anyOf: ['slirp4netns'],
    aptPackage: 'slirp4netns',
    usedFor: 'the sandbox network of specs that allow one',
  },
  { anyOf: ['skopeo'], aptPackage: 'skopeo', usedFor: 'the registry client tests' },
  { anyOf: ['umoci'], aptPackage: 'umoci', usedFor: 'the registry client tests' },
  { anyOf: ['tmux'], aptPackage: 'tmux', usedFor: 'the terminal tests' },
  {
    anyOf: [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'],
    aptPackage: 'chromium',
    usedFor: 'the console tests (or set CHROMIUM_PATH)',
  },
  // The NATS event bus's tests start servers of their own and use one at TEST_NATS_URL
  // (nats://127.0.0.1:4222 unless set; .ci/run starts it).
  {
    anyOf: ['nats-server'],
    aptPackage: 'nats-server',
    usedFor: 'the NATS event bus tests',
  },
  // The several-servers e2e puts Debian's haproxy in front of three servers.
  { anyOf: ['haproxy'], aptPackage: 'haproxy', usedFor: 'the load-balanced deployment tests' },
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function found(candidate: string, path: string): boolean {
  if (candidate.startsWith('/')) return executable(candidate);
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => executable(join(dir, candidate)));
}

export function missingPrerequisites(list: Prerequisite[], path = process.env.PATH ?? ''): Prerequisite[] {
  return list.filter((p) => !p.anyOf.some((candidate) => found(candidate, path)));
}

/** One line: what is missing, what for, and the command that installs all of it; undefined when nothing is. */
export function describeMissing(missing: Prerequisite[]): string | undefined {
  if (missing.length === 0) return undefined;
  const what = missing.map((p) => `${p.anyOf.join(' or ')} (${p.usedFor})`).join(', ');
  const packages = [...new Set(missing.map((p) => p.aptPackage))].join(' ');
  return `missing: ${what} — install with: sudo apt-get install -y ${packages}`;
}
