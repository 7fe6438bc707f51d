import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CappedBuffer } from './capped-buffer.js';
import { computeCommand } from './executors/docker-semantics.js';
import type { Executor, RunStatus } from './executors/executor.js';
import type { BlobCache } from './image/cache.js';
import { pullImage } from './image/pull.js';
import { resolveTag } from './image/resolve-tag.js';
import { unpackImage } from './image/unpack.js';

export interface LocalRunOptions {
  registryUrl: string;
  repository: string;
  /** A tag (resolved to a digest first) or a digest. */
  reference: string;
  token?: string | null;
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  network: boolean;
  timeoutMs: number;
  executor: Executor;
  cache: BlobCache;
  /** Where the rootfs is unpacked (removed afterwards). */
  jobsDir: string;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  onStep?(line: string): void;
  signal?: AbortSignal;
}

export interface LocalRunResult extends RunStatus {
  digest: string;
  argv: string[];
  stdout: string;
}

const MiB = 1024 * 1024;

/**
 * `benchline runner run`: one image, once, as a job runs it — pulled by digest into the blob cache,
 * unpacked into a fresh rootfs, the command computed with Docker semantics, run under the runner's
 * executor with the runner's pinning — but with the output here instead of on a server.
 */
export async function runImageOnce(options: LocalRunOptions): Promise<LocalRunResult> {
  const digest = options.reference.startsWith('sha256:')
    ? options.reference
    : await resolveTag({
        registryUrl: options.registryUrl,
        repository: options.repository,
        tag: options.reference,
        token: options.token,
      });
  options.onStep?.(`pulling ${options.repository}@${digest}`);
  const image = await pullImage({
    registryUrl: options.registryUrl,
    repository: options.repository,
    digest,
    token: options.token ?? undefined,
    cache: options.cache,
    signal: options.signal,
  });
  const jobDir = join(options.jobsDir, `local-${randomBytes(4).toString('hex')}`);
  const rootfs = join(jobDir, 'rootfs');
  try {
    await mkdir(jobDir, { recursive: true });
    await unpackImage(image.layers, rootfs);
    const command = computeCommand(image.config.config, {
      entrypoint: options.entrypoint,
      cmd: options.cmd,
      env: options.env ?? {},
    });
    options.onStep?.(`running ${command.argv.join(' ')} (${options.executor.name})`);
    const stdout = new CappedBuffer(25 * MiB);
    const result = await options.executor.run({
      rootfs,
      argv: command.argv,
      env: command.env,
      workingDir: command.workingDir,
      user: command.user,
      network: options.network,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onStdout: (chunk) => {
        stdout.push(chunk);
        options.onStdout(chunk);
      },
      onStderr: options.onStderr,
    });
    await result.dispose();
    const { readFiles: _r, dispose: _d, ...status } = result;
    return { ...status, digest, argv: command.argv, stdout: stdout.toString() };
  } finally {
    await rm(jobDir, { recursive: true, force: true });
  }
}
