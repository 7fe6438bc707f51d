import { appendFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { createApiClient } from '../api/client.js';
import { resolveConnection } from '../api/config.js';
import { jsonDocument, printJson } from '../output/json.js';
import { outputMode } from '../output/mode.js';
import { createPlainRenderer } from '../output/plain.js';
import { buildRunPlan, type RunFlags, type RunPlan } from './args.js';
import { executeRun, exitCodeFor, type RunSummary } from './execute.js';
import { handleInterrupts } from './interrupt.js';
import { cancelJob } from './remote.js';
import { jobUrl, reportUrl } from './results.js';
import type { LogStream, RunEvent } from './types.js';

/** `benchline run`: returns the exit code. */
export async function runCommand(positional: string[], flags: RunFlags): Promise<number> {
  const plan = buildRunPlan(positional, flags);
  const connection = await resolveConnection(flags);
  const client = createApiClient(connection);
  const deps = { client, connection };
  // A detached run prints its job id alone on stdout; its progress goes to stderr, never through Ink.
  // So does a markdown one: stdout is the report.
  const detected = outputMode(plan);
  const mode = plan.detach && detected === 'interactive' ? 'plain' : detected;
  const toStderr = plan.detach || mode === 'markdown';

  let summary: RunSummary;
  const logs: Array<{ stream: LogStream; text: string }> = [];
  if (mode === 'interactive') {
    const { runInteractive } = await import('../ui/interactive.js');
    summary = await runInteractive(plan, deps);
  } else {
    // JSON mode keeps stdout for the document; the benchmark's output goes into it as logs.
    const write = toStderr ? (line: string) => console.error(line) : (line: string) => console.log(line);
    const stream = toStderr ? process.stderr : process.stdout;
    const width = (stream.isTTY && stream.columns) || undefined;
    const plain = createPlainRenderer(write, { quiet: plan.quiet, width });
    const emit =
      mode === 'json'
        ? (event: RunEvent) => {
            if (event.type === 'log') logs.push({ stream: event.stream, text: event.text });
          }
        : plain;
    let jobId: string | null = null;
    const abort = new AbortController();
    const stopInterrupts = handleInterrupts({
      jobId: () => jobId,
      stop: () => abort.abort(),
      cancelJob: async (id) => void (await cancelJob(client, id)),
      ask: process.stdin.isTTY ? askYesNo : null,
      notice: (text) => console.error(text),
    });
    try {
      summary = await executeRun(plan, {
        ...deps,
        signal: abort.signal,
        emit: (event) => {
          if (event.type === 'submitted') jobId = event.jobId;
          emit(event);
        },
      });
    } finally {
      stopInterrupts();
    }
  }
  const code = exitCodeFor(summary, plan.err);
  if (mode === 'json') {
    const url = summary.reportId ? reportUrl(client.host, plan.input.project, summary.reportId) : null;
    const alerts =
      code && summary.outcome === 'ok'
        ? { code: 'ALERTS', message: 'alerts were raised and --err was given', hint: ALERTS_HINT }
        : null;
    printJson(jsonDocument(summary, logs, { url, error: alerts }));
  }
  if (mode === 'markdown') await printMarkdown(summary, plan, client.host);
  if (plan.detach && summary.jobId && mode !== 'json') console.log(summary.jobId);
  if (code && summary.outcome === 'ok' && mode !== 'json') {
    console.error('error: alerts were raised that no confirmation cleared, and --err was given');
    console.error(`hint: review them at ${summary.results?.url}, then ${ALERTS_HINT}`);
  } else if (summary.outcome === 'failed' || summary.outcome === 'canceled') {
    if (mode !== 'json' && summary.jobId) {
      console.error(`hint: see the job's output with \`benchline job logs ${summary.jobId}\``);
    }
  }
  return code;
}

/**
 * The report on stdout; under GitHub Actions also appended to the step summary, with an annotation
 * per alert (on stderr, which the runner reads for workflow commands too, so stdout stays the report).
 */
async function printMarkdown(summary: RunSummary, plan: RunPlan, host: string): Promise<void> {
  const { annotations, markdownReport } = await import('../output/markdown.js');
  const project = summary.results?.project ?? plan.input.project;
  const report = summary.reportId ? reportUrl(host, project, summary.reportId) : null;
  const job = summary.jobId ? jobUrl(host, project, summary.jobId) : null;
  const markdown = markdownReport({ summary, project, reportUrl: report, jobUrl: job, err: plan.err });
  process.stdout.write(markdown);
  if (process.env.GITHUB_ACTIONS !== 'true') return;
  for (const line of annotations(summary, plan.err, report)) console.error(line);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) await appendFile(file, `${markdown}\n`);
}

const ALERTS_HINT = 'dismiss the ones you accept with `benchline alert dismiss <id>`';

async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
