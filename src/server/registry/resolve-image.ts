import { BenchlineError, badInput } from '../errors.js';
import type { RegistryContext } from './context.js';
import { findManifest } from './manifests.js';
import { isDigest, isTag } from './names.js';
import { findRepository } from './repositories.js';

export interface ResolvedImage {
  repository: string;
  digest: string;
}

/** Splits `[host/]name[:tag][@digest]`; the host is the first component when it looks like one (Docker's rule). */
export function parseImageReference(reference: string): {
  host: string | null;
  name: string;
  tag: string | null;
  digest: string | null;
} {
  let rest = reference.trim().replace(/^https?:\/\//, '');
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw badInput(`"${digest}" is not a sha256 digest`, 'image');
  }
  let host: string | null = null;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      host = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isTag(tag)) throw badInput(`"${tag}" is not a valid image tag`, 'image');
  }
  if (!rest) throw badInput(`"${reference}" names no image`, 'image');
  return { host, name: rest, tag, digest };
}

/** The host[:port] clients use for this server's registry, as in `docker tag`. */
export function registryHost(publicUrl: string): string {
  return new URL(publicUrl).host;
}

/**
 * Resolves an image reference to an immutable digest inside the project's repositories, for createRun.
 * `name` may be the full repository name or be relative to the project (`bench:v1` → `<slug>/bench`).
 * Null when the repository, tag or digest is unknown; BAD_INPUT for an image on another registry.
 */
export async function resolveImage(
  ctx: RegistryContext,
  projectId: string,
  reference: string,
): Promise<ResolvedImage | null> {
  const parsed = parseImageReference(reference);
  const ours = registryHost(ctx.config.publicUrl);
  if (parsed.host && parsed.host !== ours) {
    throw new BenchlineError(
      'BAD_INPUT',
      `image ${reference} is on another registry (${parsed.host}); runners pull only from this server: push it here with \`benchline image push <oci-layout-dir|tarball> ${ours}/<project>/<name>:<tag>\``,
      { field: 'image' },
    );
  }
  const project = await ctx.db
    .selectFrom('project')
    .select('slug')
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!project) return null;
  const candidates =
    parsed.name === project.slug || parsed.name.startsWith(`${project.slug}/`)
      ? [parsed.name]
      : [parsed.name, `${project.slug}/${parsed.name}`];
  for (const name of candidates) {
    const repository = await findRepository(ctx.db, name, projectId);
    if (!repository) continue;
    const manifest = await findManifest(
      ctx,
      repository.id,
      parsed.digest ? { digest: parsed.digest } : { tag: parsed.tag ?? 'latest' },
    );
    if (manifest) return { repository: repository.name, digest: manifest.digest };
  }
  return null;
}
