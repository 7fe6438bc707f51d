import { createInterface } from 'node:readline/promises';
import { createApiClient } from '../api/client.js';
import { resolveConnection } from '../api/config.js';
import { jsonDocument, printJson } from '../output/json.js';
import { outputMode } from '../output/mode.js';
import { createPlainRenderer } from '../output/plain.js';
import { buildRunPlan, type RunFlags } from './args.js';
import { executeRun, exitCodeFor, type RunSummary } from './execute.js';
import { handleInterrupts } from './interrupt.js';
import { cancelJob } from './remote.js';
import type { LogStream, RunEvent } from './types.js';

/** `benchline run`: returns the exit code. */
export async function runCommand(positional: string[], flags: RunFlags): Promise<number> {
  const plan = buildRunPlan(positional, flags);
  const connection = await resolveConnection(flags);
  const client = createApiClient(connection);
  const deps = { client, connection };
  const mode = outputMode(plan);

  let summary: RunSummary;
  if (mode === 'interactive') {
    const { runInteractive } = await import('../ui/render-run.js');
    summary = await runInteractive(plan, deps);
  } else {
    const logs: Array<{ stream: LogStream; text: string }> = [];
    // JSON mode keeps stdout for the document; the benchmark's output goes into it as logs.
    const plain = createPlainRenderer((line) => console.log(line), { quiet: plan.quiet });
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
    if (mode === 'json') printJson(jsonDocument(summary, logs));
  }
  if (plan.detach && summary.jobId && mode !== 'json') console.log(summary.jobId);
  const code = exitCodeFor(summary, plan.err);
  if (code && summary.outcome === 'ok' && mode !== 'json') {
    console.error('error: alerts were raised that no confirmation cleared, and --err was given');
    console.error(
      `hint: review them at ${summary.results?.url}, then dismiss with \`benchline alert dismiss <id>\``,
    );
  } else if (summary.outcome === 'failed' || summary.outcome === 'canceled') {
    if (mode !== 'json' && summary.jobId) {
      console.error(`hint: see the job's output with \`benchline job logs ${summary.jobId}\``);
    }
  }
  return code;
}

async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
