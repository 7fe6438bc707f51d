import { canAccessProject } from '../../accounts/access.js';
import { createProject, readableProjects, updateProject } from '../../projects/projects.js';
import { loadOrganization, loadProject } from '../access.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { VisibilityEnum } from './enums.js';

export const ProjectRef = builder.objectRef<Row<'project'>>('Project');

ProjectRef.implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    visibility: t.field({ type: VisibilityEnum, resolve: (p) => p.visibility as 'PUBLIC' }),
    organizationId: t.expose('organization_id', { type: 'UUID' }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    archived: t.boolean({ resolve: (p) => p.archived_at !== null }),
    confirmRounds: t.exposeInt('confirm_rounds', {
      description:
        'Rounds of a confirmation (each runs the head and baseline images once); 0: alerts are not confirmed',
    }),
    confirmAlpha: t.exposeFloat('confirm_alpha', {
      description: 'Significance level of a confirmation, across a report’s alerts',
    }),
    confirmMinEffect: t.exposeFloat('confirm_min_effect', {
      description: 'A confirmed change is at least this, in percent',
    }),
    canWrite: t.boolean({
      description: 'Whether the caller may submit runs and change this project',
      resolve: (p, _args, ctx) => canAccessProject(ctx.viewer, p, 'WRITE', ctx.role),
    }),
  }),
});

builder.queryFields((t) => ({
  project: t.field({
    type: ProjectRef,
    args: { slug: t.arg.string({ required: true, description: 'slug or id' }) },
    resolve: (_root, args, ctx) => loadProject(ctx, args.slug, 'READ'),
  }),
  projects: t.connection({
    type: ProjectRef,
    description: 'Projects the caller can read: public ones and those of their organizations',
    resolve: (_root, args, ctx) => paginate(args, readableProjects(ctx.db, ctx.viewer), 'project', 'asc'),
  }),
}));

const ProjectInput = builder.inputType('CreateProjectInput', {
  fields: (t) => ({
    organization: t.string({ required: true, description: 'organization slug' }),
    name: t.string({ required: true }),
    slug: t.string(),
    visibility: t.field({ type: VisibilityEnum }),
  }),
});

const ProjectPatch = builder.inputType('UpdateProjectInput', {
  fields: (t) => ({
    name: t.string(),
    slug: t.string(),
    visibility: t.field({ type: VisibilityEnum }),
    archived: t.boolean(),
    confirmRounds: t.int({ description: '0 (off) to 30' }),
    confirmAlpha: t.float({ description: 'above 0, below 0.5' }),
    confirmMinEffect: t.float({ description: 'percent' }),
  }),
});

builder.mutationFields((t) => ({
  createProject: t.field({
    type: ProjectRef,
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: ProjectInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const org = await loadOrganization(ctx, input.organization, 'MEMBER');
      return createProject(ctx.db, { ...input, organizationId: org.id });
    },
  }),
  updateProject: t.field({
    type: ProjectRef,
    authScopes: { signedIn: true },
    description: 'Rename, change visibility or archive (owners only)',
    args: { project: t.arg.string({ required: true }), input: t.arg({ type: ProjectPatch, required: true }) },
    resolve: async (_root, args, ctx) => {
      const project = await loadProject(ctx, args.project, 'OWN');
      return updateProject(ctx.db, project.id, args.input, ctx.clock.now());
    },
  }),
}));
