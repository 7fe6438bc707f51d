import type { JobNoise, NoiseSample } from '../../noise/job-noise.js';
import { builder } from '../builder.js';

export const NoiseInput = builder.inputType('NoiseInput', {
  description:
    "The runner's noise probe, measured just before the job: a fixed CPU-bound loop on its benchmark cores",
  fields: (t) => ({
    cvPct: t.float({ required: true, description: "coefficient of variation of the loop's repetitions, %" }),
    stealPct: t.float({ description: 'share of the benchmark cores’ time stolen by the hypervisor, %' }),
    load: t.float({ description: '1-minute load average' }),
    involuntaryContextSwitches: t.int({ description: 'of the measuring thread, while timed' }),
    probeMs: t.float({ description: 'how long the probe took' }),
    truncated: t.boolean({
      description:
        'its wall-clock cap cut it short (a loaded host): fewer repetitions than its budget allows',
    }),
    tuning: t.stringList({ description: 'host tuning knobs in effect (`runner up --tune`)' }),
  }),
});

export const NoiseRef = builder.objectRef<JobNoise>('Noise').implement({
  description: 'How quiet a runner was: its noise probe before a job',
  fields: (t) => ({
    cvPct: t.exposeFloat('cvPct', { description: "coefficient of variation of the probe's fixed loop, %" }),
    stealPct: t.exposeFloat('stealPct', { nullable: true }),
    load: t.exposeFloat('load', { nullable: true }),
    involuntaryContextSwitches: t.exposeInt('involuntaryContextSwitches', { nullable: true }),
    probeMs: t.exposeFloat('probeMs', { nullable: true }),
    truncated: t.exposeBoolean('truncated', {
      description: 'its wall-clock cap cut the probe short: the host was too loaded to finish it',
    }),
    tuning: t.exposeStringList('tuning', { description: 'host tuning knobs in effect; empty: untuned' }),
  }),
});

export const NoiseSampleRef = builder.objectRef<NoiseSample>('NoiseSample').implement({
  description: "One of a runner's noise probes, taken before the job it names",
  fields: (t) => ({
    jobId: t.expose('jobId', { type: 'UUID' }),
    at: t.expose('at', { type: 'DateTime' }),
    cvPct: t.exposeFloat('cvPct'),
    stealPct: t.exposeFloat('stealPct', { nullable: true }),
    load: t.exposeFloat('load', { nullable: true }),
    truncated: t.exposeBoolean('truncated'),
    tuning: t.exposeStringList('tuning'),
  }),
});

/** The noise columns of a job or runner row as the API's Noise; null when no probe was sent. */
export function noiseOf(row: {
  noise_cv_pct: number | null;
  noise_steal_pct: number | null;
  noise_load: number | null;
  noise_tuning: string[] | null;
  noise_involuntary_switches?: number | null;
  noise_probe_ms?: number | null;
  noise_truncated?: boolean | null;
}): JobNoise | null {
  if (row.noise_cv_pct === null || row.noise_cv_pct === undefined) return null;
  return {
    cvPct: row.noise_cv_pct,
    stealPct: row.noise_steal_pct,
    load: row.noise_load,
    involuntaryContextSwitches: row.noise_involuntary_switches ?? null,
    probeMs: row.noise_probe_ms ?? null,
    truncated: row.noise_truncated ?? false,
    tuning: row.noise_tuning ?? [],
  };
}
