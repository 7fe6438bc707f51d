import {
  CreateOrganizationMutation,
  CreateTokenMutation,
  OrganizationMembersQuery,
  OrganizationsQuery,
  RevokeTokenMutation,
  SetMembershipMutation,
  SetOrganizationPlanMutation,
  TokensQuery,
} from '../api/documents/organization.js';
import { collectAll } from '../api/pages.js';
import type { FormatOptions } from '../command-options.js';
import { CliError } from '../errors.js';
import { printList, printRecord } from '../output/list.js';
import { connect } from '../session.js';

const ROLES = ['owner', 'member', 'viewer'];
const PLANS = ['none', 'metered', 'licensed'];
const LEVELS = ['free', 'pro', 'team', 'enterprise'];

export async function listOrganizations(flags: FormatOptions) {
  const { client } = await connect(flags, { requireToken: true });
  const organizations = await collectAll<any>(
    'organizations',
    async (first, after) =>
      ((await client.request(OrganizationsQuery, { first, after })) as any).organizations,
  );
  printList(
    organizations,
    [
      { header: 'Slug', get: (o) => o.slug },
      { header: 'Name', get: (o) => o.name },
      { header: 'Plan', get: (o) => `${o.plan.toLowerCase()}/${o.planLevel.toLowerCase()}` },
      { header: 'Role', get: (o) => o.myRole?.toLowerCase() ?? '' },
    ],
    flags.format,
    'No organizations yet: create one with `benchline org create <name>`.',
  );
}

export async function createOrganization(name: string, flags: FormatOptions & { slug?: string }) {
  const { client } = await connect(flags, { requireToken: true });
  const { createOrganization: org } = (await client.request(CreateOrganizationMutation, {
    name,
    slug: flags.slug ?? null,
  })) as any;
  if (flags.format === 'json') return printRecord(org, 'json');
  console.log(`Created organization ${org.name} (${org.slug}); you own it.`);
}

export async function listMembers(slug: string, flags: FormatOptions) {
  const { client } = await connect(flags, { requireToken: true });
  const { organization } = (await client.request(OrganizationMembersQuery, { slug })) as any;
  printList(
    organization.members as any[],
    [
      { header: 'User', get: (m) => m.user },
      { header: 'Name', get: (m) => m.name },
      { header: 'Role', get: (m) => m.role.toLowerCase() },
    ],
    flags.format,
    'No members.',
  );
}

export async function setMember(slug: string, user: string, role: string | undefined, flags: FormatOptions) {
  if (role !== undefined && !ROLES.includes(role)) {
    throw new CliError(`no role "${role}"`, `give one of ${ROLES.join(', ')}`);
  }
  const { client } = await connect(flags, { requireToken: true });
  await client.request(SetMembershipMutation, {
    organization: slug,
    user,
    role: (role?.toUpperCase() ?? null) as 'OWNER' | 'MEMBER' | 'VIEWER' | null,
  });
  console.log(role ? `${user} is now ${role} of ${slug}.` : `${user} was removed from ${slug}.`);
}

export async function setPlan(slug: string, plan: string, level: string | undefined, flags: FormatOptions) {
  const p = plan.toLowerCase();
  const l = (level ?? (p === 'none' ? 'free' : 'team')).toLowerCase();
  if (!PLANS.includes(p)) throw new CliError(`no plan "${plan}"`, `give one of ${PLANS.join(', ')}`);
  if (!LEVELS.includes(l)) throw new CliError(`no level "${level}"`, `give one of ${LEVELS.join(', ')}`);
  const { client } = await connect(flags, { requireToken: true });
  const { setOrganizationPlan: org } = (await client.request(SetOrganizationPlanMutation, {
    organization: slug,
    plan: p.toUpperCase() as 'NONE',
    level: l.toUpperCase() as 'FREE',
  })) as any;
  if (flags.format === 'json') return printRecord(org, 'json');
  console.log(`${org.slug} is now on plan ${org.plan.toLowerCase()}, level ${org.planLevel.toLowerCase()}.`);
}

export async function listTokens(flags: FormatOptions) {
  const { client } = await connect(flags, { requireToken: true });
  const tokens = await collectAll<any>(
    'tokens',
    async (first, after) => ((await client.request(TokensQuery, { first, after })) as any).tokens,
  );
  printList(
    tokens,
    [
      { header: 'ID', get: (t) => t.id },
      { header: 'Name', get: (t) => t.name },
      { header: 'Prefix', get: (t) => t.prefix },
      { header: 'Revoked', get: (t) => t.revoked },
    ],
    flags.format,
    'No tokens.',
  );
}

export async function createToken(name: string, flags: FormatOptions) {
  const { client } = await connect(flags, { requireToken: true });
  const { createToken: token } = (await client.request(CreateTokenMutation, { name })) as any;
  if (flags.format === 'json') return printRecord(token, 'json');
  // The secret alone on stdout, so `$(benchline token create ci)` captures it; it is shown once.
  console.error(`Created token ${name} (${token.id}); its secret is shown once:`);
  console.log(token.secret);
}

export async function revokeToken(id: string, flags: FormatOptions) {
  const { client } = await connect(flags, { requireToken: true });
  await client.request(RevokeTokenMutation, { id });
  console.log(`Revoked token ${id}.`);
}
