import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { Model, Threshold } from '../db/schema.js';
import { conflict, notFound } from '../errors.js';
import type { ModelParams } from './thresholds/index.js';

/**
 * Thresholds live per (branch, testbed, measure) and point at their current model. Models are
 * never edited: a change inserts a new model and marks the old one replaced, so old boundaries
 * keep the model they were computed with.
 */

export function modelRow(params: ModelParams) {
  return {
    test: params.test,
    min_sample_size: params.minSampleSize,
    max_sample_size: params.maxSampleSize,
    window_seconds: params.windowSeconds,
    lower_boundary: params.lowerBoundary,
    upper_boundary: params.upperBoundary,
  };
}

export function modelParams(row: Selectable<Model>): ModelParams {
  return {
    test: row.test as ModelParams['test'],
    minSampleSize: row.min_sample_size,
    maxSampleSize: row.max_sample_size,
    windowSeconds: row.window_seconds,
    lowerBoundary: row.lower_boundary,
    upperBoundary: row.upper_boundary,
  };
}

/** A threshold with a current model, as result processing checks metrics with it. */
export interface CurrentThreshold {
  thresholdId: string;
  modelId: string;
  measureId: string;
  params: ModelParams;
}

/**
 * The thresholds with a current model of a branch and testbed for these measures. Processing
 * reads them with the report (lock-report.ts); this is for measures it only found afterwards.
 */
export async function currentThresholds(
  db: Database,
  branchId: string,
  testbedId: string,
  measureIds: readonly string[],
): Promise<CurrentThreshold[]> {
  if (measureIds.length === 0) return [];
  const rows = await db
    .selectFrom('threshold')
    .innerJoin('model', 'model.id', 'threshold.model_id')
    .selectAll('model')
    .select(['threshold.id as thresholdId', 'threshold.measure_id'])
    .where('threshold.branch_id', '=', branchId)
    .where('threshold.testbed_id', '=', testbedId)
    .where('threshold.measure_id', 'in', measureIds)
    .execute();
  return rows.map((t) => ({
    thresholdId: t.thresholdId,
    modelId: t.id,
    measureId: t.measure_id,
    params: modelParams(t),
  }));
}

function sameModel(row: Selectable<Model>, params: ModelParams): boolean {
  const want = modelRow(params);
  return (Object.keys(want) as Array<keyof typeof want>).every((k) => row[k] === want[k]);
}

/** Points a threshold at a new model (unless its current one is identical); returns the threshold. */
export async function replaceModel(
  db: Database,
  threshold: Selectable<Threshold>,
  params: ModelParams,
  now: Date,
): Promise<Selectable<Threshold>> {
  if (threshold.model_id) {
    const current = await db
      .selectFrom('model')
      .selectAll()
      .where('id', '=', threshold.model_id)
      .executeTakeFirst();
    if (current && sameModel(current, params)) return threshold;
    await db.updateTable('model').set({ replaced_at: now }).where('id', '=', threshold.model_id).execute();
  }
  const model = await db
    .insertInto('model')
    .values({ threshold_id: threshold.id, ...modelRow(params), created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return db
    .updateTable('threshold')
    .set({ model_id: model.id, updated_at: now })
    .where('id', '=', threshold.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ThresholdKey {
  projectId: string;
  branchId: string;
  testbedId: string;
  measureId: string;
}

/** Bencher's `--threshold-*`: create the (branch, testbed, measure) threshold, or replace its model. */
export async function upsertThreshold(
  db: Database,
  key: ThresholdKey,
  params: ModelParams,
  now: Date,
): Promise<Selectable<Threshold>> {
  await db
    .insertInto('threshold')
    .values({
      project_id: key.projectId,
      branch_id: key.branchId,
      testbed_id: key.testbedId,
      measure_id: key.measureId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['branch_id', 'testbed_id', 'measure_id']).doNothing())
    .execute();
  const threshold = await db
    .selectFrom('threshold')
    .selectAll()
    .where('branch_id', '=', key.branchId)
    .where('testbed_id', '=', key.testbedId)
    .where('measure_id', '=', key.measureId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return replaceModel(db, threshold, params, now);
}

/**
 * Bencher's `--thresholds-reset`: the thresholds of this branch and testbed whose measure was not
 * given lose their model (they stay, with their past boundaries, but check nothing).
 */
export async function resetOtherThresholds(
  db: Database,
  branchId: string,
  testbedId: string,
  keepMeasureIds: string[],
  now: Date,
): Promise<number> {
  let query = db
    .selectFrom('threshold')
    .select(['id', 'model_id'])
    .where('branch_id', '=', branchId)
    .where('testbed_id', '=', testbedId)
    .where('model_id', 'is not', null);
  if (keepMeasureIds.length > 0) query = query.where('measure_id', 'not in', keepMeasureIds);
  const rows = await query.execute();
  if (rows.length === 0) return 0;
  await db
    .updateTable('model')
    .set({ replaced_at: now })
    .where(
      'id',
      'in',
      rows.map((r) => r.model_id as string),
    )
    .execute();
  await db
    .updateTable('threshold')
    .set({ model_id: null, updated_at: now })
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.length;
}

/** `--start-point-clone-thresholds`: the start point's thresholds (all testbeds) with copies of their models. */
export async function cloneThresholds(
  db: Database,
  projectId: string,
  fromBranchId: string,
  toBranchId: string,
  now: Date,
): Promise<number> {
  const rows = await db
    .selectFrom('threshold')
    .innerJoin('model', 'model.id', 'threshold.model_id')
    .selectAll('model')
    .select(['threshold.testbed_id', 'threshold.measure_id'])
    .where('threshold.branch_id', '=', fromBranchId)
    .execute();
  for (const row of rows) {
    await upsertThreshold(
      db,
      { projectId, branchId: toBranchId, testbedId: row.testbed_id, measureId: row.measure_id },
      modelParams(row),
      now,
    );
  }
  return rows.length;
}

export async function deleteThreshold(db: Database, thresholdId: string): Promise<void> {
  const deleted = await db.deleteFrom('threshold').where('id', '=', thresholdId).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw notFound('threshold');
}

/** The threshold API's create: one per (branch, testbed, measure); a second answers CONFLICT. */
export async function createThreshold(
  db: Database,
  key: ThresholdKey,
  params: ModelParams,
  now: Date,
): Promise<Selectable<Threshold>> {
  const inserted = await db
    .insertInto('threshold')
    .values({
      project_id: key.projectId,
      branch_id: key.branchId,
      testbed_id: key.testbedId,
      measure_id: key.measureId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['branch_id', 'testbed_id', 'measure_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) {
    throw conflict('this branch, testbed and measure already have a threshold; update that one instead');
  }
  return replaceModel(db, inserted, params, now);
}
