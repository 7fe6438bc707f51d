import { type RoleLookup, roleLookup } from '../accounts/access.js';
import type { Viewer } from '../accounts/viewer.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { Services } from './services.js';

/** Everything a resolver may use: who is calling, the database, and per-request loaders. */
export interface Context {
  db: Database;
  config: Config;
  clock: Clock;
  events: EventBus;
  log: Logger;
  services: Services;
  viewer: Viewer;
  loaders: Loaders;
  role: RoleLookup;
  /**
   * The request runs one of the server's persisted documents (src/runner/operations.ts): its
   * shape is fixed and small, so its complexity is not computed per call.
   */
  persisted?: boolean;
}

export interface ServerDeps {
  db: Database;
  config: Config;
  clock: Clock;
  events: EventBus;
  log: Logger;
  services: Services;
}

export function createContext(deps: ServerDeps, viewer: Viewer): Context {
  const loaders = createLoaders(deps.db, viewer);
  return {
    ...deps,
    viewer,
    loaders,
    role: (organizationId) => loaders.role.load(organizationId),
  };
}

export { roleLookup };
