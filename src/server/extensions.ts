import type { Extension } from './app.js';
import type { Config } from './config.js';

/** The parts mounted into a production server: registry, queue background work, metrics, console. */
export function serverExtensions(_config: Config): Extension[] {
  return [];
}
