import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeHost } from '../../src/runner/executors/probe.js';
import { runBenchline } from '../helpers/processes.js';
import { bmf, pushImage, scriptLayers, startWorld, type World } from './fixtures.js';

let world: World;
let image: string;

beforeAll(async () => {
  world = await startWorld();
  // Prints BMF, says where it runs (cores, a host path, its mounts), then exits with the code it was given.
  image = await pushImage(
    world,
    scriptLayers(
      `echo '${bmf('local', 42)}'\necho "cpus $(grep Cpus_allowed_list /proc/self/status)" >&2\n` +
        `ls ${process.cwd()} >/dev/null 2>&1 && echo "host visible" >&2\ncat /proc/self/mountinfo >&2\n` +
        `exit "\${1:-0}"\n`,
    ),
  );
});

async function runnerRun(args: string[], env: Record<string, string> = {}) {
  const workDir = args.includes('--work-dir') ? [] : ['--work-dir', join(world.dir, 'runner-run')];
  return runBenchline(['runner', 'run', ...args, ...workDir], {
    BENCHLINE_HOST: world.server.url,
    BENCHLINE_TOKEN: world.server.adminToken,
    XDG_CONFIG_HOME: '/nonexistent',
    ...env,
  });
}

describe('benchline runner run', { timeout: 120_000 }, () => {
  it('pulls the image by digest and runs it once in the sandbox, pinned as a job, with the parse', async () => {
    const workDir = join(world.dir, 'local-run');
    const result = await runnerRun([image, '--adapter', 'json', '--format', 'json', '--work-dir', workDir]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(doc.argv).toEqual(['/bench/run.sh']);
    expect(doc.exitCode).toBe(0);
    expect(doc.parse).toEqual({
      ok: true,
      benchmarks: [{ iteration: 0, benchmark: 'local', measure: 'latency', value: 42 }],
    });
    // The bubblewrap sandbox: the host's files are not there.
    expect(doc.stderr).not.toContain('host visible');
    // The daemon's sandbox (one factory): as root, mounted scratch, so no host path in the mount table.
    if (process.getuid?.() === 0) {
      expect(doc.stderr).toContain(' / / ro,');
      expect(doc.stderr).not.toContain(world.dir);
    }
    const caps = await probeHost();
    if (caps.taskset && caps.cores > 1) expect(doc.stderr).toMatch(/Cpus_allowed_list:\s*1(-\d+)?\n/);
  });

  it('prints the output live and the parse for a person; --cmd replaces CMD and the exit code is the workload’s', async () => {
    const result = await runnerRun([
      image,
      '--entrypoint',
      '/bench/run.sh',
      '--cmd',
      '3',
      '--adapter',
      'json',
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(bmf('local', 42));
    expect(result.stdout).toMatch(/exit code 3 in [\d.]+ s/);
    expect(result.stdout).toMatch(/local\s+latency\s+42/);
    expect(result.stderr).toMatch(/runner run: pulling .*@sha256:/);
  });

  it('says when the output does not parse, and when the image is not there', async () => {
    const unparsable = await runnerRun([image, '--adapter', 'go_bench']);
    expect(unparsable.code).toBe(0);
    expect(unparsable.stdout).toMatch(/The go_bench adapter could not parse the output/);

    const missing = await runnerRun([`${world.project}/nothing-here:v1`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: image: .*not in the registry/m);

    const anonymous = await runnerRun([image], { BENCHLINE_TOKEN: '' });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/^error: image: /m);

    const badDigest = await runnerRun([`${world.project}/x@sha256:abc`]);
    expect(badDigest.code).toBe(1);
    expect(badDigest.stderr).toMatch(/not a sha256 digest/);
  });
});
