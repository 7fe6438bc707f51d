import {
  BenchmarksQuery,
  CreateBenchmarkMutation,
  CreateMeasureMutation,
  MeasuresQuery,
} from '../api/documents/resources.js';
import { collectPages, parseLimit } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { type Column, printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

/** Benchmarks and measures: a project's named series, listed and created the same way. */
export type SeriesKind = 'benchmark' | 'measure';

export interface ListFlags extends FormatOptions {
  project: string;
  limit?: string;
  archived?: boolean;
}

export interface CreateFlags extends FormatOptions {
  project: string;
  slug?: string;
  units?: string;
}

const MAX_LIMIT = 10_000;

const KINDS = {
  benchmark: {
    list: BenchmarksQuery,
    connection: 'benchmarks',
    create: CreateBenchmarkMutation,
    created: 'createBenchmark',
    columns: [{ header: 'Created', get: (r) => r.createdAt }],
  },
  measure: {
    list: MeasuresQuery,
    connection: 'measures',
    create: CreateMeasureMutation,
    created: 'createMeasure',
    columns: [{ header: 'Units', get: (r) => r.units }],
  },
} satisfies Record<
  SeriesKind,
  { list: unknown; connection: string; create: unknown; created: string; columns: Column<any>[] }
>;

export async function listSeries(kind: SeriesKind, flags: ListFlags) {
  const limit = parseLimit(flags.limit, 100, MAX_LIMIT);
  const { client } = await connect(flags);
  const { list, connection, columns } = KINDS[kind];
  const rows = await collectPages<any>(limit, async (first, after) => {
    const variables = { project: flags.project, first, after, archived: Boolean(flags.archived) };
    return ((await client.request(list as typeof BenchmarksQuery, variables)) as any)[connection];
  });
  printList(
    rows,
    [{ header: 'Slug', get: (r) => r.slug }, { header: 'Name', get: (r) => r.name }, ...columns],
    flags.format,
    `No ${kind}s yet: \`benchline run\` creates them from its results.`,
  );
}

export async function createSeries(kind: SeriesKind, name: string, flags: CreateFlags) {
  const { client } = await connect(flags, { requireToken: true });
  const input = {
    project: flags.project,
    name,
    ...(flags.slug && { slug: flags.slug }),
    ...(kind === 'measure' && flags.units && { units: flags.units }),
  };
  const { create, created } = KINDS[kind];
  const row = ((await client.request(create as typeof CreateBenchmarkMutation, { input })) as any)[created];
  if (flags.format === 'json') return printRecord(row, 'json');
  console.log(`Created ${kind} ${row.name} (${row.slug}${row.units ? `, ${row.units}` : ''}).`);
}
