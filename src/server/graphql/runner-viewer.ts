import { forbidden } from '../errors.js';
import type { Context } from './context.js';

/** The calling runner's id; anyone else is FORBIDDEN. */
export function runnerId(ctx: Context): string {
  if (ctx.viewer.kind !== 'runner') throw forbidden('only a runner may do this');
  return ctx.viewer.runnerId;
}
