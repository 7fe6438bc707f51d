import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI_ARGV } from '../helpers/cli-argv.js';

const run = promisify(execFile);

/** The real CLI in its own process, so exit codes are seen. */
async function noise(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI_ARGV, 'noise', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('benchline noise', { timeout: 120_000 }, () => {
  it('prints BMF that the json adapter accepts, and exits 0 under the limit', async () => {
    const { code, stdout } = await noise(['--reps', '10', '--format', 'json', '--max-cv', '1000']);
    expect(code).toBe(0);
    const { validateBmf } = await import('../../src/server/results/adapters/bmf.js');
    const parsed = validateBmf(JSON.parse(stdout));
    expect(parsed.ok).toBe(true);
    expect(Object.keys(JSON.parse(stdout).noise)).toEqual(
      expect.arrayContaining(['latency', 'coefficient-of-variation', 'timer-jitter']),
    );
  });

  it('exits 2 when the CV is above --max-cv, saying so', async () => {
    const { code, stdout, stderr } = await noise(['--reps', '10', '--max-cv', '0.000001']);
    expect(code).toBe(2);
    expect(stdout).toContain('ABOVE the limit');
    expect(stderr).toMatch(/CV [\d.]+% is above --max-cv/);
  });

  it('refuses bad options with exit 1 and measures nothing', async () => {
    for (const args of [
      ['--cpus', '999'],
      ['--reps', '1'],
      ['--max-cv', '-1'],
      ['--format', 'xml'],
      ['--cpus', 'a'],
    ]) {
      const { code, stdout, stderr } = await noise(args);
      expect(code, args.join(' ')).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^error: /);
    }
  });
});
