import {
  type PreflightCheck,
  type RunnerPreflight,
  storePreflight,
  type TuningKnob,
  validatePreflight,
} from '../../noise/runner-preflight.js';
import { builder } from '../builder.js';
import { runnerId } from '../runner-viewer.js';

const PreflightCheckInput = builder.inputType('PreflightCheckInput', {
  fields: (t) => ({
    check: t.string({ required: true, description: 'e.g. irqbalance, cgroup-v2, virtualized, load' }),
    level: t.string({ required: true, description: 'ok, warn or info' }),
    message: t.string({ required: true }),
  }),
});

const TuningKnobInput = builder.inputType('TuningKnobInput', {
  fields: (t) => ({
    knob: t.string({ required: true }),
    status: t.string({ required: true, description: 'applied, skipped, not-permitted or off' }),
    detail: t.string({ required: true, description: 'what it changed, or why not' }),
  }),
});

const PreflightCheckRef = builder.objectRef<PreflightCheck>('PreflightCheck').implement({
  description: 'One thing on a runner’s host that adds noise to benchmarks, checked at its start',
  fields: (t) => ({
    check: t.exposeString('check'),
    level: t.exposeString('level', { description: 'ok, warn or info' }),
    message: t.exposeString('message'),
  }),
});

const TuningKnobRef = builder.objectRef<TuningKnob>('TuningKnob').implement({
  description: 'What one host tuning knob did at the runner’s start (`runner up --tune`)',
  fields: (t) => ({
    knob: t.exposeString('knob'),
    status: t.exposeString('status', { description: 'applied, skipped, not-permitted or off' }),
    detail: t.exposeString('detail'),
  }),
});

export const RunnerPreflightRef = builder.objectRef<RunnerPreflight>('RunnerPreflight').implement({
  description: 'A runner’s report at its latest start: its preflight checks and what each tuning knob did',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    checks: t.field({ type: [PreflightCheckRef], resolve: (p) => p.checks }),
    tuning: t.field({
      type: [TuningKnobRef],
      description: 'empty when the runner was started without --tune',
      resolve: (p) => p.tuning,
    }),
  }),
});

builder.mutationFields((t) => ({
  reportPreflight: t.field({
    type: 'DateTime',
    authScopes: { runner: true },
    description:
      'A runner’s start-up report (preflight checks, tuning knobs), replacing its last; answers when it was stored',
    args: {
      checks: t.arg({ type: [PreflightCheckInput], required: true }),
      tuning: t.arg({ type: [TuningKnobInput] }),
    },
    resolve: async (_root, args, ctx) => {
      const report = validatePreflight(args);
      const now = ctx.clock.now();
      await storePreflight(ctx.db, runnerId(ctx), report, now);
      return now;
    },
  }),
}));
