import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConnection } from '../api/config.js';
import { CliError } from '../errors.js';
import { buildImage } from './build.js';
import { createProgress, silentProgress } from './progress.js';
import { DEFAULT_CHUNK_SIZE, pushImage } from './push.js';
import { parsePushTarget } from './reference.js';
import { openImageSource } from './source.js';

export interface PushFlags {
  host?: string;
  token?: string;
  ref?: string;
  chunkSize?: string;
  quiet?: boolean;
}

export interface BuildFlags extends PushFlags {
  entrypoint?: string;
  cmd?: string;
  env?: string[];
  workdir?: string;
  base?: string;
  baseRef?: string;
  path?: string;
  output?: string;
}

/** `["a","b"]` as JSON, or words split on white space. */
export function parseCommand(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new CliError(`${flag} is not a JSON array`, `write it as ${flag} '["/bin/sh","-c","echo hi"]'`);
    }
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
      throw new CliError(`${flag} must be an array of strings`);
    }
    return parsed;
  }
  return trimmed.split(/\s+/).filter(Boolean);
}

function chunkSize(flags: PushFlags): number {
  if (!flags.chunkSize) return DEFAULT_CHUNK_SIZE;
  const mib = Number(flags.chunkSize);
  if (!(mib > 0)) throw new CliError('--chunk-size must be a positive number of MiB');
  return Math.round(mib * 1024 * 1024);
}

async function pushFrom(path: string, name: string, flags: PushFlags, ref?: string): Promise<string> {
  const connection = await resolveConnection(flags);
  const target = parsePushTarget(name, connection.host);
  const source = await openImageSource(path, ref);
  try {
    const result = await pushImage(source, {
      target,
      token: connection.token,
      progress: flags.quiet ? silentProgress : createProgress(),
      chunkSize: chunkSize(flags),
    });
    return `${result.reference}@${result.digest}`;
  } finally {
    await source.close();
  }
}

export async function pushCommand(src: string, name: string, flags: PushFlags): Promise<void> {
  console.log(await pushFrom(src, name, flags, flags.ref));
}

export async function buildCommand(dir: string, name: string, flags: BuildFlags): Promise<void> {
  const tag = name.includes(':') && !name.endsWith(']') ? name.slice(name.lastIndexOf(':') + 1) : 'latest';
  const output = flags.output ?? (await mkdtemp(join(tmpdir(), 'benchline-build-')));
  try {
    const built = await buildImage({
      dir,
      prefix: flags.path ?? '/',
      entrypoint: parseCommand(flags.entrypoint, '--entrypoint'),
      cmd: parseCommand(flags.cmd, '--cmd'),
      env: flags.env ?? [],
      workdir: flags.workdir,
      base: flags.base,
      baseRef: flags.baseRef,
      tag: tag.includes('/') ? 'latest' : tag,
      output,
    });
    if (flags.output) {
      console.log(
        `${built.manifestDigest} written to ${flags.output} (ref ${tag}); push it with \`benchline image push ${flags.output} ${name}\``,
      );
      return;
    }
    console.log(await pushFrom(output, name, flags));
  } finally {
    if (!flags.output) await rm(output, { recursive: true, force: true });
  }
}
