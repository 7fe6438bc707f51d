import {
  BenchmarksQuery,
  CreateBenchmarkMutation,
  CreateMeasureMutation,
  MeasuresQuery,
} from '../api/documents/resources.js';
import { collectPages, parseLimit } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

/** Benchmarks and measures: a project's named series, listed and created the same way. */

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

export async function listBenchmarks(flags: ListFlags) {
  const limit = parseLimit(flags.limit, 100, MAX_LIMIT);
  const { client } = await connect(flags);
  const rows = await collectPages<any>(limit, async (first, after) => {
    const data = (await client.request(BenchmarksQuery, {
      project: flags.project,
      first,
      after,
      archived: Boolean(flags.archived),
    })) as any;
    return data.benchmarks;
  });
  printList(
    rows,
    [
      { header: 'Slug', get: (b) => b.slug },
      { header: 'Name', get: (b) => b.name },
      { header: 'Created', get: (b) => b.createdAt },
    ],
    flags.format,
    'No benchmarks yet: `benchline run` creates them from its results.',
  );
}

export async function listMeasures(flags: ListFlags) {
  const limit = parseLimit(flags.limit, 100, MAX_LIMIT);
  const { client } = await connect(flags);
  const rows = await collectPages<any>(limit, async (first, after) => {
    const data = (await client.request(MeasuresQuery, {
      project: flags.project,
      first,
      after,
      archived: Boolean(flags.archived),
    })) as any;
    return data.measures;
  });
  printList(
    rows,
    [
      { header: 'Slug', get: (m) => m.slug },
      { header: 'Name', get: (m) => m.name },
      { header: 'Units', get: (m) => m.units },
    ],
    flags.format,
    'No measures yet: `benchline run` creates them from its results.',
  );
}

export async function createBenchmark(name: string, flags: CreateFlags) {
  const { client } = await connect(flags, { requireToken: true });
  const input = { project: flags.project, name, ...(flags.slug && { slug: flags.slug }) };
  const { createBenchmark } = (await client.request(CreateBenchmarkMutation, { input })) as any;
  if (flags.format === 'json') return printRecord(createBenchmark, 'json');
  console.log(`Created benchmark ${createBenchmark.name} (${createBenchmark.slug}).`);
}

export async function createMeasure(name: string, flags: CreateFlags) {
  const { client } = await connect(flags, { requireToken: true });
  const input = {
    project: flags.project,
    name,
    ...(flags.slug && { slug: flags.slug }),
    ...(flags.units && { units: flags.units }),
  };
  const { createMeasure } = (await client.request(CreateMeasureMutation, { input })) as any;
  if (flags.format === 'json') return printRecord(createMeasure, 'json');
  console.log(`Created measure ${createMeasure.name} (${createMeasure.slug}, ${createMeasure.units}).`);
}
