import { CreateThresholdMutation, ThresholdsQuery } from '../api/documents/threshold.js';
import { collectAll } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { printList, printRecord } from '../output/list.js';
import { groupThresholds } from '../run/args.js';
import { connect } from '../session.js';

export async function listThresholds(project: string, flags: FormatOptions) {
  const { client } = await connect(flags);
  const thresholds = await collectAll<any>(
    'thresholds',
    async (first, after) =>
      ((await client.request(ThresholdsQuery, { project, first, after })) as any).thresholds,
  );
  printList(
    thresholds,
    [
      { header: 'ID', get: (t) => t.id },
      { header: 'Branch', get: (t) => t.branch.slug },
      { header: 'Testbed', get: (t) => t.testbed.slug },
      { header: 'Measure', get: (t) => t.measure.slug },
      { header: 'Test', get: (t) => t.model?.test.toLowerCase() },
      { header: 'Samples', get: (t) => samples(t.model) },
      { header: 'Window', get: (t) => t.model?.window },
      { header: 'Lower', get: (t) => t.model?.lowerBoundary, right: true },
      { header: 'Upper', get: (t) => t.model?.upperBoundary, right: true },
    ],
    flags.format,
    'No thresholds yet: add one with `benchline threshold create` or `run --threshold-*`.',
  );
}

export interface ThresholdFlags extends FormatOptions {
  project: string;
  branch: string;
  testbed: string;
  measure: string;
  test: string;
  minSampleSize?: string;
  maxSampleSize?: string;
  window?: string;
  lowerBoundary?: string;
  upperBoundary?: string;
}

export async function createThreshold(flags: ThresholdFlags) {
  // The same checks as `run --threshold-*`, for one threshold.
  const one = (v: string | undefined) => (v === undefined ? undefined : [v]);
  const [model] = groupThresholds({
    thresholdMeasure: [flags.measure],
    thresholdTest: [flags.test],
    thresholdMinSampleSize: one(flags.minSampleSize),
    thresholdMaxSampleSize: one(flags.maxSampleSize),
    thresholdWindow: one(flags.window),
    thresholdLowerBoundary: one(flags.lowerBoundary),
    thresholdUpperBoundary: one(flags.upperBoundary),
  });
  const { client } = await connect(flags, { requireToken: true });
  const { measure, ...rest } = model;
  const input = {
    project: flags.project,
    branch: flags.branch,
    testbed: flags.testbed,
    measure,
    model: rest,
  };
  const { createThreshold } = (await client.request(CreateThresholdMutation, { input } as never)) as any;
  if (flags.format === 'json') return printRecord(createThreshold, 'json');
  console.log(`Created threshold ${createThreshold.id} (${flags.branch}/${flags.testbed}/${flags.measure}).`);
}

function samples(model: { minSampleSize?: number | null; maxSampleSize?: number | null } | null): string {
  if (!model) return '-';
  return `${model.minSampleSize ?? '·'}..${model.maxSampleSize ?? '·'}`;
}
