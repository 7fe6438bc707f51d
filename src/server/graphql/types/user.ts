import { checkEmail } from '../../accounts/slug.js';
import { createToken, revokeToken } from '../../accounts/tokens.js';
import { createUserWithToken } from '../../accounts/users.js';
import { forbidden } from '../../errors.js';
import { builder } from '../builder.js';
import type { Row } from '../loaders.js';
import { paginate } from '../pagination.js';
import { OrganizationRef } from './organization.js';

export const UserRef = builder.objectRef<Row<'user'>>('User');

UserRef.implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    isAdmin: t.exposeBoolean('is_admin'),
    organizations: t.field({
      type: [OrganizationRef],
      resolve: (user, _args, ctx) =>
        ctx.db
          .selectFrom('organization')
          .selectAll('organization')
          .innerJoin('membership', 'membership.organization_id', 'organization.id')
          .where('membership.user_id', '=', user.id)
          .orderBy('organization.slug')
          .execute(),
    }),
  }),
});

const TokenRef = builder.objectRef<Row<'api_token'>>('ApiToken').implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', {
      description: 'The first characters of the secret, to tell tokens apart',
    }),
    expiresAt: t.expose('expires_at', { type: 'DateTime', nullable: true }),
    revoked: t.boolean({ resolve: (tok) => tok.revoked_at !== null }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
  }),
});

const NewTokenRef = builder.objectRef<{ id: string; secret: string; userId: string }>('NewToken').implement({
  description: 'A token and its secret. The secret is shown this once and stored only as a hash.',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    secret: t.exposeString('secret'),
    user: t.field({
      type: UserRef,
      resolve: async (tok, _args, ctx) => (await ctx.loaders.user.load(tok.userId))!,
    }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({
    type: UserRef,
    nullable: true,
    resolve: (_root, _args, ctx) =>
      ctx.viewer.kind === 'user' ? ctx.loaders.user.load(ctx.viewer.userId) : null,
  }),
  tokens: t.connection({
    type: TokenRef,
    authScopes: { signedIn: true },
    resolve: (_root, args, ctx) => {
      const userId = ctx.viewer.kind === 'user' ? ctx.viewer.userId : '';
      return paginate(
        args,
        ctx.db.selectFrom('api_token').selectAll().where('user_id', '=', userId),
        'api_token',
      );
    },
  }),
}));

const UserInput = builder.inputType('SignupInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string(),
    email: t.string(),
  }),
});

builder.mutationFields((t) => ({
  signup: t.field({
    type: NewTokenRef,
    description: 'Create an account; open unless the server closed signup. Returns the first API token.',
    args: { input: t.arg({ type: UserInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (!ctx.config.signupOpen)
        throw forbidden('signup is closed on this server; ask its admin for an account');
      if (input.email) checkEmail(input.email);
      const { userId, token } = await createUserWithToken(ctx.db, input, ctx.clock.now());
      return { ...token, userId };
    },
  }),
  createUser: t.field({
    type: NewTokenRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: UserInput, required: true }), admin: t.arg.boolean() },
    resolve: async (_root, args, ctx) => {
      const { userId, token } = await createUserWithToken(
        ctx.db,
        { ...args.input, isAdmin: args.admin ?? false },
        ctx.clock.now(),
      );
      return { ...token, userId };
    },
  }),
  createToken: t.field({
    type: NewTokenRef,
    authScopes: { signedIn: true },
    args: { name: t.arg.string({ required: true }), expiresAt: t.arg({ type: 'DateTime' }) },
    resolve: async (_root, args, ctx) => {
      const userId = ctx.viewer.kind === 'user' ? ctx.viewer.userId : '';
      const token = await createToken(ctx.db, userId, args.name, args.expiresAt ?? null, ctx.clock.now());
      return { ...token, userId };
    },
  }),
  revokeToken: t.boolean({
    authScopes: { signedIn: true },
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, ctx) => {
      const userId = ctx.viewer.kind === 'user' ? ctx.viewer.userId : '';
      await revokeToken(ctx.db, userId, args.id, ctx.clock.now());
      return true;
    },
  }),
}));
