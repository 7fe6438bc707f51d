import { authorize } from './auth.js';
import { registryError } from './errors.js';
import type { RegistryRequest } from './http.js';
import { checkRepositoryName } from './names.js';
import { ensureRepository, findRepository, type Repository } from './repositories.js';
import type { RegistryAction } from './tokens.js';

/**
 * Checks the caller may do `action` in `name` and returns the repository: created on the first
 * push when `create`, else NAME_UNKNOWN when nothing was pushed there yet.
 */
export async function openRepository(
  r: RegistryRequest,
  name: string,
  action: RegistryAction,
  create = false,
): Promise<Repository> {
  const { projectSlug } = checkRepositoryName(name);
  await authorize(r.ctx, r.caller, name, action);
  const project = await r.ctx.db
    .selectFrom('project')
    .select('id')
    .where('slug', '=', projectSlug)
    .executeTakeFirst();
  if (!project) {
    throw registryError(
      'NAME_UNKNOWN',
      `no project has the slug "${projectSlug}": create the project first`,
      {
        name,
      },
    );
  }
  const repository = create
    ? await ensureRepository(r.ctx.db, name, project.id)
    : await findRepository(r.ctx.db, name, project.id);
  if (!repository)
    throw registryError('NAME_UNKNOWN', `repository ${name} is unknown: nothing was pushed there`, { name });
  return repository;
}
