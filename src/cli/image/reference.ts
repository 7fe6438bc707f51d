import { CliError } from '../errors.js';

export interface PushTarget {
  /** Scheme and authority of the registry. */
  registryUrl: string;
  /** host[:port] as it appears in image references. */
  registryHost: string;
  repository: string;
  tag: string;
}

const REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

const isLoopback = (host: string) => /^(localhost|127\.[\d.]+|\[::1\])(:\d+)?$/.test(host);

/**
 * `[host[:port]/]<project>/<name>[:tag]`. Without a host in the name, the registry is the Benchline
 * server (`--host`); with one, it must be that server or is reached directly (http on loopback).
 */
export function parsePushTarget(name: string, serverUrl: string | null): PushTarget {
  let rest = name;
  let host: string | null = null;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      host = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag = 'latest';
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!REPOSITORY.test(rest)) {
    throw new CliError(
      `"${rest}" is not a valid image name`,
      'use <project-slug>/<name>:<tag> with lower-case letters, digits and single . _ - separators',
    );
  }
  if (!TAG.test(tag))
    throw new CliError(`"${tag}" is not a valid tag`, 'use letters, digits, . _ - (up to 128)');
  let registryUrl: string;
  if (host && (!serverUrl || new URL(serverUrl).host !== host)) {
    registryUrl = `${isLoopback(host) ? 'http' : 'https'}://${host}`;
  } else if (serverUrl) {
    registryUrl = serverUrl.replace(/\/+$/, '');
  } else {
    throw new CliError('no registry to push to', 'pass --host <server URL> or set BENCHLINE_HOST');
  }
  return { registryUrl, registryHost: new URL(registryUrl).host, repository: rest, tag };
}
