import type { Extension } from './app.js';
import type { Config } from './config.js';
import { consoleExtension } from './console/extension.js';
import { logArchiveExtension } from './logs/extension.js';
import { metricsExtension } from './metrics/extension.js';
import { queueExtension } from './queue/extension.js';
import type { BlobStore } from './registry/blob-store.js';
import { registryExtension } from './registry/extension.js';
import { openBlobStore } from './registry/open-blob-store.js';

/** The parts mounted into a production server: registry, queue background work, metrics, console. */
export function serverExtensions(config: Config, store: BlobStore = openBlobStore(config)): Extension[] {
  // The console answers every path nobody else claimed (client-side routes), so it goes last.
  return [
    metricsExtension(),
    registryExtension({ blobDir: config.blobDir, store }),
    queueExtension(),
    logArchiveExtension({ store }),
    consoleExtension({ dir: config.consoleDir }),
  ];
}
