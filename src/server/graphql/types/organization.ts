import { claimOrganization, createOrganization, setMembership } from '../../accounts/organizations.js';
import { setOrganizationPlan } from '../../accounts/plan.js';
import type { Role } from '../../accounts/viewer.js';
import { notFound } from '../../errors.js';
import { loadOrganization } from '../access.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { PlanEnum, PlanLevelEnum, RoleEnum } from './enums.js';
import { ProjectRef } from './project.js';

export const OrganizationRef = builder.objectRef<Row<'organization'>>('Organization');

const MemberRef = builder.objectRef<{ slug: string; name: string; role: string }>('Member');
MemberRef.implement({
  fields: (t) => ({
    user: t.exposeString('slug', { description: 'the user slug' }),
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (m) => m.role as Role }),
  }),
});

OrganizationRef.implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    claimed: t.boolean({ resolve: (org) => org.claimed_at !== null }),
    plan: t.field({ type: PlanEnum, resolve: (org) => org.plan as 'NONE' }),
    planLevel: t.field({ type: PlanLevelEnum, resolve: (org) => org.plan_level as 'FREE' }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    members: t.field({
      type: [MemberRef],
      description: 'Who belongs to it and in what role (members and admins only).',
      resolve: async (org, _args, ctx) => {
        await loadOrganization(ctx, org.id, 'VIEWER');
        return ctx.db
          .selectFrom('membership')
          .innerJoin('user', 'user.id', 'membership.user_id')
          .select(['user.slug', 'user.name', 'membership.role'])
          .where('membership.organization_id', '=', org.id)
          .orderBy('user.slug')
          .execute();
      },
    }),
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
        {
          name: args.name,
          slug: args.slug,
          ownerId: ctx.viewer.kind === 'user' ? ctx.viewer.userId : null,
          plan: ctx.config.defaultPlan,
        },
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
  setOrganizationPlan: t.field({
    type: OrganizationRef,
    authScopes: { admin: true },
    description:
      "Move an organization to another plan and level (admin); its tier, and so its queue limit, follows. Audited in the server's log.",
    args: {
      organization: t.arg.string({ required: true }),
      plan: t.arg({ type: PlanEnum, required: true }),
      level: t.arg({ type: PlanLevelEnum, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const change = await setOrganizationPlan(
        ctx.db,
        args.organization,
        { plan: args.plan, level: args.level },
        ctx.clock.now(),
      );
      ctx.log.info(
        {
          audit: 'organization.plan',
          organization: change.organization.slug,
          from: change.from,
          to: change.to,
          by: ctx.viewer.kind === 'user' ? ctx.viewer.userId : null,
        },
        'organization plan changed',
      );
      await ctx.services.onOrganizationClaimed?.(change.organization.id);
      return loadOrganization(ctx, change.organization.id, 'READ');
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
