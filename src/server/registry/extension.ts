import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackgroundTask, Extension } from '../app.js';
import { BenchlineError } from '../errors.js';
import type { ServerDeps } from '../graphql/context.js';
import type { Services } from '../graphql/services.js';
import type { BlobStore } from './blob-store.js';
import { DEFAULT_LIMITS, type RegistryContext, type RegistryLimits } from './context.js';
import { registryError, sendRegistryError } from './errors.js';
import { FsBlobStore } from './fs-blob-store.js';
import { collectGarbage } from './gc.js';
import { checkRepositoryName } from './names.js';
import { resolveImage } from './resolve-image.js';
import { handleRegistryRequest } from './router.js';
import { RegistryTokens } from './tokens.js';

export interface RegistryExtensionOptions {
  /** Where the default file-system store keeps blobs and upload sessions. */
  blobDir: string;
  /** Replaces the file-system store (object storage, say). */
  store?: BlobStore;
  limits?: Partial<RegistryLimits>;
}

export interface RegistryExtension extends Extension {
  /** Runs garbage collection now (tests, operators); resolves with what was removed. */
  collectGarbage(): Promise<Awaited<ReturnType<typeof collectGarbage>>>;
}

/** The OCI distribution API under /v2 on the server's port, plus the registry seam createRun and claimJob use. */
export function registryExtension(options: RegistryExtensionOptions): RegistryExtension {
  const store = options.store ?? new FsBlobStore(options.blobDir);
  const limits: RegistryLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let ctx: RegistryContext | undefined;
  const ready = (): RegistryContext => {
    if (!ctx) throw new BenchlineError('INTERNAL', 'the registry is still starting: try again in a moment');
    return ctx;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/v2' && !path.startsWith('/v2/')) return false;
    if (!ctx) {
      req.resume();
      sendRegistryError(
        res,
        registryError('TOO_MANY_REQUESTS', 'the registry is starting', null, {
          status: 503,
          headers: { 'retry-after': '1' },
        }),
      );
      return true;
    }
    return handleRegistryRequest(ctx, req, res);
  };

  const registry: NonNullable<Services['registry']> = {
    resolveImage: (projectId, reference) => resolveImage(ready(), projectId, reference),
    async issuePullToken(repository, seconds) {
      const c = ready();
      const names = typeof repository === 'string' ? [repository] : [...repository];
      for (const name of names) checkRepositoryName(name);
      return c.tokens.sign(
        'job',
        names.map((name) => ({ type: 'repository' as const, name, actions: ['pull' as const] })),
        seconds,
        c.clock.now(),
      );
    },
  };

  return {
    routes: [route],
    services: { registry },
    collectGarbage: () => collectGarbage(ready()),
    start(deps: ServerDeps): BackgroundTask {
      const context: RegistryContext = {
        db: deps.db,
        config: deps.config,
        clock: deps.clock,
        log: deps.log.child({ component: 'registry' }),
        store,
        tokens: new RegistryTokens(deps.db),
        limits,
      };
      ctx = context;
      let running: Promise<unknown> | undefined;
      const timer = setInterval(() => {
        running ??= collectGarbage(context)
          .then((result) => {
            if (result.blobs || result.uploads || result.orphanFiles)
              context.log.info(result, 'registry garbage collected');
          })
          .catch((error) =>
            context.log.warn({ err: (error as Error).message }, 'registry garbage collection failed'),
          )
          .finally(() => {
            running = undefined;
          });
      }, limits.gcIntervalMs);
      timer.unref();
      return {
        async stop() {
          clearInterval(timer);
          await running;
        },
      };
    },
  };
}
