import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { CliError } from '../errors.js';
import type { LocalCommand } from './command.js';
import type { Emit } from './types.js';

export interface LocalRunOptions {
  command: LocalCommand;
  iterations: number;
  /** Read each iteration's results from this file instead of stdout (Bencher's --file). */
  file?: string;
  emit: Emit;
  /** Stops the command (Ctrl-C in the terminal UI, which keeps the terminal in raw mode). */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs the benchmark `iterations` times on this machine; returns one raw output per iteration. */
export async function runLocally(options: LocalRunOptions): Promise<string[]> {
  const results: string[] = [];
  for (let index = 0; index < options.iterations; index++) {
    options.emit({
      type: 'local-iteration',
      at: Date.now(),
      index,
      total: options.iterations,
      command: options.command.display,
    });
    const stdout = await runOnce(options);
    results.push(options.file ? await readResultsFile(options.file) : stdout);
  }
  return results;
}

function runOnce({ command, emit, env, cwd, signal }: LocalRunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(stopped());
    const child = spawn(command.file, command.args, {
      cwd,
      env: env ?? process.env,
      // stdin stays with the terminal UI, which reads keys from it.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stop = () => child.kill('SIGINT');
    signal?.addEventListener('abort', stop, { once: true });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      emit({ type: 'log', at: Date.now(), stream: 'STDOUT', text: chunk.toString('utf8') });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      emit({ type: 'log', at: Date.now(), stream: 'STDERR', text: chunk.toString('utf8') });
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new CliError(
          `cannot start \`${command.display}\`: ${error.code === 'ENOENT' ? 'command not found' : error.message}`,
          'check the command and your PATH, or pass it as one quoted string to run it through sh',
        ),
      );
    });
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', stop);
      if (signal?.aborted) return reject(stopped());
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const how = killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`;
      reject(new CliError(`the benchmark command ${how}`, 'fix the command so it succeeds, then run again'));
    });
  });
}

function stopped(): CliError {
  return new CliError('stopped before the run was submitted', 'nothing was sent; run it again when ready');
}

async function readResultsFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read results file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      'make the benchmark write it, or drop --file to use stdout',
    );
  }
}
