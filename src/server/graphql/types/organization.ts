import { claimOrganization, createOrganization, setMembership } from '../../accounts/organizations.js';
import type { Role } from '../../accounts/viewer.js';
import { notFound } from '../../errors.js';
import { loadOrganization } from '../access.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { PlanEnum, PlanLevelEnum, RoleEnum } from './enums.js';
import { ProjectRef } from './project.js';

export const OrganizationRef = builder.objectRef<Row<'organization'>>('Organization');

OrganizationRef.implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    claimed: t.boolean({ resolve: (org) => org.claimed_at !== null }),
    plan: t.field({ type: PlanEnum, resolve: (org) => org.plan as 'NONE' }),
    planLevel: t.field({ type: PlanLevelEnum, resolve: (org) => org.plan_level as 'FREE' }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    myRole: t.field({ type: RoleEnum, nullable: true, resolve: (org, _args, ctx) => ctx.role(org.id) }),
    projects: t.connection({
      type: ProjectRef,
      resolve: async (org, args, ctx) => {
        const role = await ctx.role(org.id);
        let query = ctx.db.selectFrom('project').selectAll().where('organization_id', '=', org.id);
        if (!role && !(ctx.viewer.kind === 'user' && ctx.viewer.isAdmin)) {
          query = query.where('visibility', '=', 'PUBLIC');
        }
        return paginate(args, query, 'project', 'asc');
      },
    }),
  }),
});

builder.queryFields((t) => ({
  organization: t.field({
    type: OrganizationRef,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => loadOrganization(ctx, args.slug, 'READ'),
  }),
  organizations: t.connection({
    type: OrganizationRef,
    authScopes: { signedIn: true },
    resolve: (_root, args, ctx) => {
      let query = ctx.db.selectFrom('organization').selectAll('organization');
      if (ctx.viewer.kind === 'user' && !ctx.viewer.isAdmin) {
        const userId = ctx.viewer.userId;
        query = query.where('id', 'in', (eb) =>
          eb.selectFrom('membership').select('organization_id').where('user_id', '=', userId),
        );
      }
      return paginate(args, query, 'organization', 'asc');
    },
  }),
}));

builder.mutationFields((t) => ({
  createOrganization: t.field({
    type: OrganizationRef,
    authScopes: { signedIn: true },
    args: { name: t.arg.string({ required: true }), slug: t.arg.string() },
    resolve: (_root, args, ctx) =>
      createOrganization(
        ctx.db,
        { name: args.name, slug: args.slug, ownerId: ctx.viewer.kind === 'user' ? ctx.viewer.userId : null },
        ctx.clock.now(),
      ),
  }),
  claimOrganization: t.field({
    type: OrganizationRef,
    authScopes: { signedIn: true },
    description: 'Become the owner of an unclaimed organization (one made by an anonymous first run).',
    args: { slug: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const org = await ctx.db
        .selectFrom('organization')
        .selectAll()
        .where('slug', '=', args.slug)
        .executeTakeFirst();
      if (!org) throw notFound(`organization "${args.slug}"`);
      const userId = ctx.viewer.kind === 'user' ? ctx.viewer.userId : '';
      const claimed = await claimOrganization(ctx.db, org.id, userId, ctx.clock.now());
      await ctx.services.onOrganizationClaimed?.(claimed.id);
      return claimed;
    },
  }),
  setMembership: t.boolean({
    authScopes: { signedIn: true },
    description: 'Add a member, change their role, or remove them (role null). Owners only.',
    args: {
      organization: t.arg.string({ required: true }),
      user: t.arg.string({ required: true, description: 'the user slug' }),
      role: t.arg({ type: RoleEnum }),
    },
    resolve: async (_root, args, ctx) => {
      const org = await loadOrganization(ctx, args.organization, 'OWNER');
      const user = await ctx.db
        .selectFrom('user')
        .select('id')
        .where('slug', '=', args.user)
        .executeTakeFirst();
      if (!user) throw notFound(`user "${args.user}"`);
      await setMembership(ctx.db, org.id, user.id, (args.role ?? null) as Role | null);
      return true;
    },
  }),
}));
