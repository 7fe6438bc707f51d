/** The noise probe a runner took before a job: how much to trust the job's numbers. */
export interface NoiseFigures {
  cvPct: number;
  stealPct?: number | null;
  load?: number | null;
  probeMs?: number | null;
  truncated?: boolean;
  tuning: string[];
}

/** Above this CV (%), the probe calls the runner noisy; the same line the runner page draws. */
export const NOISY_CV_PCT = 5;

export function NoiseSummary({ noise, testId }: { noise: NoiseFigures; testId?: string }) {
  const noisy = noise.cvPct > NOISY_CV_PCT;
  return (
    <span data-testid={testId} className={noisy ? 'noise noisy' : 'noise'}>
      probe CV <strong>{noise.cvPct.toFixed(2)}%</strong>
      {noisy ? ' (noisy)' : ''}
      {noise.stealPct !== null && noise.stealPct !== undefined && ` · steal ${noise.stealPct.toFixed(1)}%`}
      {noise.load !== null && noise.load !== undefined && ` · load ${noise.load.toFixed(2)}`}
      {noise.probeMs !== null && noise.probeMs !== undefined && ` · ${Math.round(noise.probeMs)} ms probe`}
      {noise.truncated && ' (cut short by its cap: a loaded host)'}
      {` · ${noise.tuning.length ? `tuned: ${noise.tuning.join(', ')}` : 'untuned'}`}
    </span>
  );
}
