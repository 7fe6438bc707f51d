import type { Command } from 'commander';
import { CliError } from '../errors.js';

interface UpFlags {
  server?: string;
  key?: string;
  spec?: string[];
  executor: string;
  iUnderstandHostExecutorHasNoIsolation?: boolean;
  concurrency: string;
  workDir?: string;
  shutdownGrace: string;
  tune?: boolean;
  tuneOff?: string[];
  noiseProbe: boolean;
  noiseProbeMs: string;
  noiseProbeCapMs: string;
  allowUnenforcedLimits?: boolean;
  jobNice?: string;
  networkDeny?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds `runner up` to the `runner` command, creating that command when `runner create|list` has not. */
export function register(program: Command): void {
  const runner =
    program.commands.find((c) => c.name() === 'runner') ??
    program.command('runner').description('Runners: the machines that execute benchmark jobs');
  runner
    .command('up')
    .description('Run this machine as a runner: claim jobs for its specs and execute them sandboxed')
    .option('--server <url>', 'Benchline server URL (env BENCHLINE_HOST)')
    .option('--key <key>', 'runner key from `benchline runner create` (env BENCHLINE_RUNNER_KEY)')
    .option(
      '--spec <slug>',
      'serve this spec (repeatable; default: every spec the runner is registered for)',
      collect,
    )
    .option('--executor <name>', 'bwrap (isolated, default) or host (no isolation)', 'bwrap')
    .option('--i-understand-host-executor-has-no-isolation', 'required with --executor host')
    .option('--concurrency <n>', 'jobs run at the same time', '1')
    .option('--work-dir <dir>', 'image cache and job scratch space (default ~/.cache/benchline/runner)')
    .option(
      '--shutdown-grace <seconds>',
      'on SIGTERM, how long a running job may finish before it is failed',
      '60',
    )
    .option(
      '--tune',
      'tune this host for quiet benchmarks (restored on exit, or at the next start after a crash)',
    )
    .option(
      '--tune-off <knob>',
      'with --tune, keep this knob off (repeatable): numa-balancing, timer-migration, watchdog, ksm, ' +
        'cpu-dma-latency, irq-affinity, workqueues, cpuset',
      collect,
    )
    .option(
      '--noise-probe-ms <ms>',
      'time the noise probe before each job may take (it is sent with the job)',
      '250',
    )
    .option(
      '--noise-probe-cap-ms <ms>',
      'the most the noise probe may take, wall clock, on a loaded host (a probe it cuts short says so)',
      '1000',
    )
    .option('--no-noise-probe', 'skip the noise probe before each job')
    .option(
      '--job-nice <n>',
      'the nice value jobs start at, -20 to 19 (default -20, the highest priority, where the runner may ' +
        'raise it: root or CAP_SYS_NICE, and more than one core); 0 for the default priority',
    )
    .option(
      '--allow-unenforced-limits',
      'start even when this host cannot enforce a spec limit (printed at start)',
    )
    .option(
      '--network-deny <cidr>',
      'a range network-allowed jobs may not reach (repeatable; replaces the default private, link-local and host ranges; "none" for none)',
      collect,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  benchline runner up --server https://bench.example.com --key $KEY --spec linux-x64\n' +
        '  BENCHLINE_HOST=http://127.0.0.1:8080 BENCHLINE_RUNNER_KEY=… benchline runner up --concurrency 2\n',
    )
    .action(async (flags: UpFlags) => {
      const server = flags.server ?? process.env.BENCHLINE_HOST;
      const key = flags.key ?? process.env.BENCHLINE_RUNNER_KEY;
      if (!server) throw new CliError('no server URL', 'pass --server URL or set BENCHLINE_HOST');
      if (!key) throw new CliError('no runner key', 'pass --key KEY or set BENCHLINE_RUNNER_KEY');
      if (flags.executor !== 'bwrap' && flags.executor !== 'host') {
        throw new CliError(`unknown executor ${flags.executor}`, 'use --executor bwrap or --executor host');
      }
      if (flags.executor === 'host' && !flags.iUnderstandHostExecutorHasNoIsolation) {
        throw new CliError(
          'the host executor runs jobs with no isolation at all, as your user, on this machine',
          'only for trusted images: add --i-understand-host-executor-has-no-isolation',
        );
      }
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new CliError(`--concurrency ${flags.concurrency} is not a whole number ≥ 1`);
      }
      const grace = Number(flags.shutdownGrace);
      if (!Number.isFinite(grace) || grace < 0) {
        throw new CliError(`--shutdown-grace ${flags.shutdownGrace} is not a number of seconds`);
      }
      const { isKnobName, KNOB_NAMES } = await import('../../runner/tuning/knobs.js');
      const unknownKnob = flags.tuneOff?.find((k) => !isKnobName(k));
      if (unknownKnob)
        throw new CliError(`unknown tuning knob ${unknownKnob}`, `knobs: ${KNOB_NAMES.join(', ')}`);
      if (flags.tuneOff?.length && !flags.tune) throw new CliError('--tune-off needs --tune');
      const probeMs = Number(flags.noiseProbeMs);
      if (!Number.isFinite(probeMs) || probeMs < 10 || probeMs > 60_000) {
        throw new CliError(
          `--noise-probe-ms ${flags.noiseProbeMs} is not from 10 to 60000`,
          'or skip it: --no-noise-probe',
        );
      }
      const probeCapMs = Number(flags.noiseProbeCapMs);
      if (!Number.isFinite(probeCapMs) || probeCapMs < probeMs || probeCapMs > 600_000) {
        throw new CliError(
          `--noise-probe-cap-ms ${flags.noiseProbeCapMs} is not from --noise-probe-ms (${probeMs}) to 600000`,
          'the cap bounds the whole probe, so it is at least its budget; or skip it: --no-noise-probe',
        );
      }
      let jobNice: number | undefined;
      if (flags.jobNice !== undefined) {
        const { parseJobNice, JobNiceError } = await import('../../runner/executors/priority.js');
        try {
          jobNice = parseJobNice(flags.jobNice);
        } catch (error) {
          if (error instanceof JobNiceError)
            throw new CliError(error.message, 'e.g. --job-nice -20 (highest priority) or --job-nice 0');
          throw error;
        }
      }
      try {
        new URL(server);
      } catch {
        throw new CliError(`${server} is not a URL`, 'give e.g. --server https://bench.example.com');
      }
      for (const range of flags.networkDeny ?? []) {
        if (range !== 'none' && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(range)) {
          throw new CliError(
            `--network-deny ${range} is not an IPv4 range`,
            'give e.g. --network-deny 10.0.0.0/8',
          );
        }
      }
      const { runDaemon } = await import('../../runner/daemon.js');
      await runDaemon({
        serverUrl: server,
        key,
        specs: flags.spec ?? [],
        executor: flags.executor,
        concurrency,
        workDir: flags.workDir,
        shutdownGraceMs: grace * 1000,
        tune: flags.tune ?? false,
        tuneOff: (flags.tuneOff ?? []).filter(isKnobName),
        noiseProbeMs: flags.noiseProbe ? probeMs : 0,
        noiseProbeCapMs: probeCapMs,
        allowUnenforcedLimits: flags.allowUnenforcedLimits,
        jobNice,
        networkDeny: flags.networkDeny?.filter((range) => range !== 'none'),
      });
    });
}
