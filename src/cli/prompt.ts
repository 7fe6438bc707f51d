import { createInterface } from 'node:readline/promises';
import { CliError } from './errors.js';

/** Reads a line without echoing it (a token); from a pipe, reads the first line. */
export async function readSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) return line;
    throw new CliError('no token on stdin', 'pass --token <token>');
  }
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin, output: undefined, terminal: true });
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
