import { CancelJobMutation, JobLogChunksQuery, JobQuery, JobsQuery } from '../api/documents/job.js';
import { parseLimit } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { nodes, printList, printRecord } from '../output/list.js';
import { createPlainRenderer } from '../output/plain.js';
import { followLogs, type LogChunk, watchJob } from '../run/remote.js';
import { reportUrl } from '../run/results.js';
import { type JobStatus, TERMINAL } from '../run/types.js';
import { connect } from '../session.js';

const STATUSES = ['PENDING', 'CLAIMED', 'RUNNING', 'COMPLETED', 'PROCESSED', 'FAILED', 'CANCELED'];
/** More than this exceeds the server's query complexity limit. */
const MAX_LIMIT = 1000;

interface JobNode {
  id: string;
  status: JobStatus;
  createdAt: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  failureReason?: string | null;
  runner?: { slug: string } | null;
}

export async function listJobs(flags: FormatOptions & { project?: string; status?: string; limit?: string }) {
  if (!flags.project) throw new CliError('no project given', 'pass --project <slug>');
  const status = flags.status?.toUpperCase();
  if (status && !STATUSES.includes(status)) {
    throw new CliError(`unknown status ${flags.status}`, `use one of ${STATUSES.join(', ').toLowerCase()}`);
  }
  const limit = parseLimit(flags.limit, 20, MAX_LIMIT);
  const { client } = await connect(flags);
  const data = (await client.request(JobsQuery, {
    project: flags.project,
    status: status as never,
    first: limit,
  })) as { jobs: { edges: Array<{ node: JobNode }> } };
  printList(
    nodes(data.jobs),
    [
      { header: 'ID', get: (j) => j.id },
      { header: 'Status', get: (j) => j.status },
      { header: 'Runner', get: (j) => j.runner?.slug },
      { header: 'Created', get: (j) => j.createdAt },
      { header: 'Finished', get: (j) => j.finishedAt },
      { header: 'Failure', get: (j) => j.failureReason },
    ],
    flags.format,
    'No jobs yet: submit one with `benchline run --image …`.',
  );
}

export async function viewJob(id: string, flags: FormatOptions) {
  const { client } = await connect(flags);
  const { job } = (await client.request(JobQuery, { id })) as { job: Record<string, any> };
  const project = job.project?.slug;
  const url = project ? reportUrl(client.host, project, job.reportId) : null;
  // JSON keeps the API's field names, like `job list --format json`.
  if (flags.format === 'json') return printRecord({ ...job, reportUrl: url }, 'json');
  printRecord(
    {
      id: job.id,
      status: job.status,
      priority: job.priority,
      runner: job.runner?.name,
      created: job.createdAt,
      claimed: job.claimedAt,
      started: job.startedAt,
      finished: job.finishedAt,
      'exit code': job.exitCode,
      failure: [job.failureReason, job.failureMessage].filter(Boolean).join(': '),
      report: url ?? job.reportId,
    },
    flags.format,
  );
}

/** Stored output; with --follow, live output until the job ends (resuming after drops). */
export async function jobLogs(id: string, flags: FormatOptions & { follow?: boolean }) {
  const { client, connection } = await connect(flags);
  // The exact bytes: output piped to a file must match what the job printed.
  const print = (chunk: LogChunk) =>
    (chunk.stream === 'STDERR' ? process.stderr : process.stdout).write(Buffer.from(chunk.data, 'base64'));
  if (flags.follow) {
    // Caught at once: when the job does not exist both streams fail, and the status one says so.
    let logsError: unknown;
    const logsDone = followLogs(connection, id, print).catch((error: unknown) => {
      logsError = error;
    });
    // `run`'s label for PROCESSED announces results that this command does not fetch.
    const plain = createPlainRenderer(
      (line) => console.error(line.replace(/fetching results$/, 'processed')),
      {
        quiet: true,
      },
    );
    const last = await watchJob({
      connection,
      jobId: id,
      emit: (event) => event.type === 'status' && plain(event),
    });
    await Promise.race([logsDone, new Promise((r) => setTimeout(r, 1500))]);
    if (logsError) throw logsError;
    return last.status === 'FAILED' || last.status === 'CANCELED' ? 1 : 0;
  }
  let afterSeq: number | null = null;
  for (;;) {
    const data = (await client.request(JobLogChunksQuery, { jobId: id, afterSeq, first: 500 })) as {
      jobLogChunks: LogChunk[];
    };
    for (const chunk of data.jobLogChunks) print(chunk);
    if (data.jobLogChunks.length < 500) return 0;
    afterSeq = data.jobLogChunks.at(-1)!.seq;
  }
}

export async function cancelJobCommand(id: string, flags: FormatOptions) {
  const { client } = await connect(flags, { requireToken: true });
  const { cancelJob } = (await client.request(CancelJobMutation, { id })) as {
    cancelJob: { status: JobStatus };
  };
  console.log(
    TERMINAL.has(cancelJob.status) || cancelJob.status === 'PENDING'
      ? `Job ${id} is ${cancelJob.status.toLowerCase()}.`
      : `Cancel requested: job ${id} stops when its runner next checks in (status ${cancelJob.status.toLowerCase()}).`,
  );
}
