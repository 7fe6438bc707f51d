import { createHash } from 'node:crypto';
import { ImageError } from './errors.js';
import { MEDIA_TYPES } from './pull.js';

const ACCEPT = Object.values(MEDIA_TYPES).join(', ');

/**
 * The digest a tag names right now, from the registry's manifest: jobs pull by digest only, so a local
 * run resolves the tag first and then pulls exactly as a job would.
 */
export async function resolveTag(options: {
  registryUrl: string;
  repository: string;
  tag: string;
  token?: string | null;
  fetch?: typeof fetch;
}): Promise<string> {
  const url = `${options.registryUrl.replace(/\/+$/, '')}/v2/${options.repository}/manifests/${encodeURIComponent(options.tag)}`;
  const headers: Record<string, string> = { accept: ACCEPT };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers });
  } catch (error) {
    throw new ImageError('REGISTRY', `cannot reach ${options.registryUrl}: ${(error as Error).message}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new ImageError(
      'AUTH',
      `${options.repository}:${options.tag}: HTTP ${response.status} (a token of a project member is needed)`,
    );
  }
  if (response.status === 404)
    throw new ImageError('REGISTRY', `${options.repository}:${options.tag} is not in the registry`);
  if (!response.ok)
    throw new ImageError('REGISTRY', `${options.repository}:${options.tag}: HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
