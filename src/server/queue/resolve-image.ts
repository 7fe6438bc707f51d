import type { Config } from '../config.js';
import { BenchlineError } from '../errors.js';
import type { Services } from '../graphql/services.js';

const DIGEST_REF = /^(?<repository>[a-z0-9][a-z0-9._/-]*)@(?<digest>sha256:[a-f0-9]{64})$/;

/**
 * Tag or digest → the immutable digest in this server's registry. The registry service owns the
 * reference rules (its own host prefix, foreign hosts → BAD_INPUT). Without one (tests), a
 * `repo@sha256:…` reference stands for itself and anything else is unknown.
 */
export async function resolveImage(
  config: Config,
  services: Services,
  projectId: string,
  reference: string,
): Promise<{ repository: string; digest: string }> {
  const resolved = services.registry
    ? await services.registry.resolveImage(projectId, reference)
    : digestReference(config, reference);
  if (!resolved) {
    throw new BenchlineError(
      'IMAGE_NOT_FOUND',
      `image "${reference}" is not in this project's registry; push it first with benchline image push`,
    );
  }
  return resolved;
}

function digestReference(config: Config, reference: string): { repository: string; digest: string } | null {
  const host = registryHost(config);
  const local = reference.startsWith(`${host}/`) ? reference.slice(host.length + 1) : reference;
  const match = DIGEST_REF.exec(local);
  return match?.groups ? { repository: match.groups.repository!, digest: match.groups.digest! } : null;
}

/** This server's registry host as it appears in image references. */
export function registryHost(config: Config): string {
  return new URL(config.publicUrl).host;
}
