import type { Extension } from './app.js';
import type { Config } from './config.js';
import { queueExtension } from './queue/extension.js';
import { registryExtension } from './registry/extension.js';

/** The parts mounted into a production server: registry, queue background work, metrics, console. */
export function serverExtensions(config: Config): Extension[] {
  return [registryExtension({ blobDir: config.blobDir }), queueExtension()];
}
