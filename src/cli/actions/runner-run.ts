import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { defaultWorkDir } from '../../runner/daemon.js';
import type { Executor } from '../../runner/executors/executor.js';
import { HostExecutor } from '../../runner/executors/host.js';
import { pinToRunnerCores } from '../../runner/executors/limits.js';
import { probeHost } from '../../runner/executors/probe.js';
import { BlobCache } from '../../runner/image/cache.js';
import { runImageOnce } from '../../runner/local-run.js';
import { createSandboxExecutor } from '../../runner/sandbox-executor.js';
import { BenchlineError } from '../../server/errors.js';
import { isAdapterName } from '../../server/results/adapters/index.js';
import { parseOutputs } from '../../server/results/parse-output.js';
import { resolveConnection } from '../api/config.js';
import type { ConnectionOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { parsePushTarget } from '../image/reference.js';
import { formatNumber, textTable } from '../output/format.js';
import { printJson } from '../output/json.js';

export interface RunnerRunFlags extends ConnectionOptions {
  cmd?: string[];
  entrypoint?: string[];
  env?: string[];
  adapter: string;
  network?: boolean;
  timeout: string;
  executor: string;
  iUnderstandHostExecutorHasNoIsolation?: boolean;
  workDir?: string;
  format: string;
}

type Parse =
  | { ok: true; benchmarks: Array<{ iteration: number; benchmark: string; measure: string; value: number }> }
  | { ok: false; error: string };

function parse(adapter: string, stdout: string): Parse {
  try {
    const parsed = parseOutputs({ adapter, average: 'MEAN', fold: null }, [stdout]);
    const benchmarks = parsed.sets.flatMap((set, iteration) =>
      set.flatMap((b) =>
        Object.entries(b.measures).map(([measure, m]) => ({
          iteration,
          benchmark: b.name,
          measure,
          value: m.value,
        })),
      ),
    );
    return { ok: true, benchmarks };
  } catch (error) {
    if (error instanceof BenchlineError) return { ok: false, error: error.message };
    throw error;
  }
}

/** `benchline runner run IMAGE`: the workload's exit code is the command's. */
export async function runnerRun(image: string, flags: RunnerRunFlags): Promise<number> {
  if (flags.format !== 'human' && flags.format !== 'json') {
    throw new CliError(`unknown format ${flags.format}`, 'use --format human or --format json');
  }
  if (!isAdapterName(flags.adapter)) throw new CliError(`unknown adapter ${flags.adapter}`);
  const timeout = Number(flags.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new CliError(`--timeout ${flags.timeout} is not a number of seconds`);
  if (flags.executor !== 'bwrap' && flags.executor !== 'host') {
    throw new CliError(`unknown executor ${flags.executor}`, 'use --executor bwrap or --executor host');
  }
  if (flags.executor === 'host' && !flags.iUnderstandHostExecutorHasNoIsolation) {
    throw new CliError(
      'the host executor runs the image with no isolation at all, as your user, on this machine',
      'only for trusted images: add --i-understand-host-executor-has-no-isolation',
    );
  }
  const env: Record<string, string> = {};
  for (const pair of flags.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--env ${pair} is not KEY=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const at = image.indexOf('@');
  const reference = at >= 0 ? image.slice(at + 1) : undefined;
  if (reference !== undefined && !/^sha256:[0-9a-f]{64}$/.test(reference)) {
    throw new CliError(
      `${reference} is not a sha256 digest`,
      'name the image by tag, or @sha256:<64 hex digits>',
    );
  }
  const connection = await resolveConnection(flags);
  const target = parsePushTarget(at >= 0 ? image.slice(0, at) : image, connection.host);

  const caps = await probeHost();
  const workDir = resolve(flags.workDir ?? join(defaultWorkDir(), '..', 'runner-run'));
  const scratchRoot = join(workDir, 'scratch');
  await mkdir(scratchRoot, { recursive: true });
  let executor: Executor;
  if (flags.executor === 'host') {
    executor = new HostExecutor({ capabilities: caps, scratchRoot });
  } else {
    if (!caps.bwrap.path || !caps.bwrap.works) {
      throw new CliError(
        `bubblewrap cannot sandbox here (${caps.bwrap.path ? caps.bwrap.error : 'bwrap not found'})`,
      );
    }
    // The daemon's very sandbox: sandbox uids, rlimits, mounted scratch, a network of its own.
    executor = (await createSandboxExecutor(caps, { workDir, log: pino({ level: 'silent' }) })).executor;
  }
  // As the runner: this process keeps to core 0; the workload gets the benchmark cores.
  await pinToRunnerCores(caps).catch(() => {});
  const cache = new BlobCache({ workDir });
  await cache.init();

  const human = flags.format === 'human';
  const stderr: Buffer[] = [];
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const result = await runImageOnce({
      registryUrl: target.registryUrl,
      repository: target.repository,
      reference: reference ?? target.tag,
      token: connection.token,
      entrypoint: flags.entrypoint,
      cmd: flags.cmd,
      env,
      network: flags.network ?? false,
      timeoutMs: timeout * 1000,
      executor,
      cache,
      jobsDir: join(workDir, 'jobs'),
      signal: abort.signal,
      onStep: human ? (line) => process.stderr.write(`runner run: ${line}\n`) : undefined,
      onStdout: (chunk) => human && process.stdout.write(chunk),
      onStderr: (chunk) => (human ? process.stderr.write(chunk) : stderr.push(chunk)),
    });
    const exitCode = result.exitCode ?? 128 + 9;
    const parsed = parse(flags.adapter, result.stdout);
    if (!human) {
      printJson({
        image: `${target.repository}@${result.digest}`,
        argv: result.argv,
        exitCode: result.exitCode,
        signal: result.signal,
        timedOut: result.timedOut,
        durationMs: result.durationMs,
        stdout: result.stdout,
        stderr: Buffer.concat(stderr).toString('utf8'),
        adapter: flags.adapter,
        parse: parsed,
      });
      return exitCode;
    }
    const end = result.timedOut ? `killed after the ${timeout} s timeout` : `exit code ${exitCode}`;
    console.log(
      `\n${target.repository}@${result.digest}: ${end} in ${(result.durationMs / 1000).toFixed(2)} s`,
    );
    if (parsed.ok) {
      const rows = parsed.benchmarks.map((b) => [b.benchmark, b.measure, formatNumber(b.value)]);
      console.log(`The ${flags.adapter} adapter reads:`);
      for (const line of textTable(['Benchmark', 'Measure', 'Value'], rows, [2])) console.log(`  ${line}`);
    } else console.log(`The ${flags.adapter} adapter could not parse the output: ${parsed.error}`);
    return exitCode;
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (e.code === 'IMAGE_ERROR')
      throw new CliError(`image: ${e.message}`, 'check the name, tag and --host / --token');
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
