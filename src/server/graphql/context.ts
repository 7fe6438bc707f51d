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
  /**
   * Set on an idle long-poll's request (a runner's persisted claimJob): its key check, specs and
   * first claim attempt run on the long-poll lane (ServerDeps.pollDb), not on `db`.
   */
  pollDb?: Database;
}

export interface ServerDeps {
  db: Database;
  /**
   * The long-poll lane: a small pool of its own for what idle runners' long-polls ask of the
   * database. 10,000 runners re-poll in waves (each 60 s wait that ends asks again at once); on
   * the one pool their statements queued ahead of every submit, start and completion (issue 23
   * §2: a submit waited seconds for a connection). On their own few connections they queue among
   * themselves. Unset: everything runs on `db`.
   */
  pollDb?: Database;
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
