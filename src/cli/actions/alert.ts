import { AlertsQuery, UpdateAlertMutation } from '../api/documents/alert.js';
import { collectAll } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { printList, printRecord } from '../output/list.js';
import { reportUrl } from '../run/results.js';
import { connect } from '../session.js';

const STATUSES = ['ACTIVE', 'DISMISSED', 'SILENCED'];

export async function listAlerts(project: string, flags: FormatOptions & { status?: string; all?: boolean }) {
  const status = flags.all ? null : (flags.status ?? 'active').toUpperCase();
  if (status && !STATUSES.includes(status)) {
    throw new CliError(
      `unknown alert status ${flags.status}`,
      'use active, dismissed or silenced (or --all)',
    );
  }
  const { client } = await connect(flags);
  const alerts = await collectAll<any>(
    'alerts',
    async (first, after) =>
      ((await client.request(AlertsQuery, { project, status: status as never, first, after })) as any).alerts,
  );
  printList(
    alerts,
    [
      { header: 'ID', get: (a) => a.id },
      { header: 'Status', get: (a) => a.status.toLowerCase() },
      { header: 'Side', get: (a) => a.side.toLowerCase() },
      { header: 'Benchmark', get: (a) => a.benchmark?.name },
      { header: 'Measure', get: (a) => a.measure?.name },
      { header: 'Branch', get: (a) => a.branch?.slug },
      { header: 'Testbed', get: (a) => a.testbed?.slug },
      { header: 'Created', get: (a) => a.createdAt },
      { header: 'Report', get: (a) => a.report && reportUrl(client.host, project, a.report.id) },
    ],
    flags.format,
    status === 'ACTIVE' ? 'No active alerts.' : 'No alerts.',
  );
}

export async function dismissAlert(id: string, flags: FormatOptions) {
  const { client } = await connect(flags, { requireToken: true });
  const { updateAlert } = (await client.request(UpdateAlertMutation, {
    id,
    status: 'DISMISSED',
  } as never)) as any;
  if (flags.format === 'json') return printRecord(updateAlert, 'json');
  console.log(`Alert ${updateAlert.id} is ${updateAlert.status.toLowerCase()}.`);
}
