import { sql } from 'kysely';
import { NOISY_PROBE_CV_PCT } from '../noise/confirmation-rounds.js';
import { SEEN_WITHIN_SECONDS } from '../runners/last-seen.js';

/** Who claims: its own noise decides whether it may take a confirmation (claimConfirmationRule). */
export interface Claimant {
  runnerId: string;
  now: Date;
}

/**
 * The confirmation rule of a claim, over the candidate job row `j`: a CONFIRMATION job is not taken
 * by a runner whose latest probe CV is above NOISY_PROBE_CV_PCT while another runner serving the
 * job's spec is quieter (its latest CV at most that), not archived, seen recently and idle — that
 * one will take it (at its next claim: the noisy runner may have eaten the queue's wake-up, so at
 * worst one long-poll later). With no such runner, the noisy one takes it: a confirmation is never
 * stranded. A runner without a probe is neither noisy nor quieter. "Seen recently" is
 * SEEN_WITHIN_SECONDS (runners/last-seen.ts, 6½ minutes): last-seen is written at most every 5
 * minutes, so a quiet runner that went away holds confirmations back from noisy ones for up to that
 * long after its last call (a delay, never a stranding).
 *
 * Cost: evaluated only for confirmation rows; the claimant's row by key, then the spec's runners
 * (runner_spec_spec) and each one's in-flight jobs (job_runner_in_flight) — index ranges that grow
 * with the runners of a spec, not with the queue or the job history.
 */
export function claimConfirmationRule(claimant: Claimant | undefined) {
  if (!claimant) return sql`true`;
  const limit = sql.lit(NOISY_PROBE_CV_PCT);
  return sql`CASE WHEN j.kind = 'CONFIRMATION' THEN NOT EXISTS (
      SELECT 1 FROM runner me, runner_spec rs JOIN runner r ON r.id = rs.runner_id
      WHERE me.id = ${claimant.runnerId}::uuid AND me.noise_cv_pct > ${limit}
        AND rs.spec_id = j.spec_id AND r.id <> me.id AND r.archived_at IS NULL
        AND r.noise_cv_pct <= ${limit}
        AND r.last_seen_at >= ${claimant.now}::timestamptz - ${sql.lit(`${SEEN_WITHIN_SECONDS} seconds`)}::interval
        AND NOT EXISTS (SELECT 1 FROM job f WHERE f.runner_id = r.id AND f.status IN ('CLAIMED', 'RUNNING'))
    ) ELSE true END`;
}
