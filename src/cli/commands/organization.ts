import type { Command } from 'commander';
import { connectionOptions, examples, formatOption } from '../command-options.js';

const actions = () => import('../actions/organization.js');

export function register(program: Command): void {
  const org = program
    .command('org')
    .alias('organization')
    .description('Organizations: who owns projects, their members and plan');

  const list = formatOption(connectionOptions(org.command('list').description('List your organizations')));
  examples(list, ['benchline org list']);
  list.action(async (flags) => (await actions()).listOrganizations(flags));

  const create = formatOption(
    connectionOptions(
      org.command('create').description('Create an organization (you become its owner)').argument('<name>'),
    ),
  ).option('--slug <slug>', 'URL name (default: from the name)');
  examples(create, ['benchline org create "Acme Corp" --slug acme']);
  create.action(async (name, flags) => (await actions()).createOrganization(name, flags));

  const members = formatOption(
    connectionOptions(org.command('members').description("List an organization's members").argument('<org>')),
  );
  examples(members, ['benchline org members acme']);
  members.action(async (slug, flags) => (await actions()).listMembers(slug, flags));

  const member = formatOption(
    connectionOptions(
      org
        .command('member')
        .description('Add a member or change their role (owners only); without a role, remove them')
        .argument('<org>')
        .argument('<user>', 'user slug')
        .argument('[role]', 'owner, member or viewer'),
    ),
  );
  examples(member, ['benchline org member acme alice member', 'benchline org member acme alice']);
  member.action(async (slug, user, role, flags) => (await actions()).setMember(slug, user, role, flags));

  const plan = formatOption(
    connectionOptions(
      org
        .command('plan')
        .description(
          "Set an organization's plan and level (admin, audited); its tier and queue limit follow: none → FREE, licensed/metered → TEAM, level enterprise → ENTERPRISE",
        )
        .argument('<org>')
        .argument('<plan>', 'none, metered or licensed')
        .argument('[level]', 'free, pro, team or enterprise (default: free with none, else team)'),
    ),
  );
  examples(plan, ['benchline org plan acme licensed team', 'benchline org plan acme licensed enterprise']);
  plan.action(async (slug, p, level, flags) => (await actions()).setPlan(slug, p, level, flags));

  const token = program.command('token').description('Your API tokens');
  const tokens = formatOption(connectionOptions(token.command('list').description('List your API tokens')));
  tokens.action(async (flags) => (await actions()).listTokens(flags));
  const createToken = formatOption(
    connectionOptions(
      token
        .command('create')
        .description('Create an API token (its secret is printed once)')
        .argument('<name>'),
    ),
  );
  examples(createToken, ['BENCHLINE_TOKEN=$(benchline token create ci)']);
  createToken.action(async (name, flags) => (await actions()).createToken(name, flags));
  const revoke = formatOption(
    connectionOptions(token.command('revoke').description('Revoke an API token').argument('<id>')),
  );
  revoke.action(async (id, flags) => (await actions()).revokeToken(id, flags));
}
