import { graphql } from '../gql.js';

export const OrganizationsQuery = graphql(`
  query CliOrganizations($first: Int, $after: String) {
    organizations(first: $first, after: $after) {
      edges {
        node {
          ...OrganizationSummary
          myRole
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateOrganizationMutation = graphql(`
  mutation CliCreateOrganization($name: String!, $slug: String) {
    createOrganization(name: $name, slug: $slug) {
      ...OrganizationSummary
    }
  }
`);

export const OrganizationMembersQuery = graphql(`
  query CliOrganizationMembers($slug: String!) {
    organization(slug: $slug) {
      slug
      members {
        user
        name
        role
      }
    }
  }
`);

export const SetMembershipMutation = graphql(`
  mutation CliSetMembership($organization: String!, $user: String!, $role: Role) {
    setMembership(organization: $organization, user: $user, role: $role)
  }
`);

export const SetOrganizationPlanMutation = graphql(`
  mutation CliSetOrganizationPlan($organization: String!, $plan: Plan!, $level: PlanLevel!) {
    setOrganizationPlan(organization: $organization, plan: $plan, level: $level) {
      ...OrganizationSummary
    }
  }
`);

export const TokensQuery = graphql(`
  query CliTokens($first: Int, $after: String) {
    tokens(first: $first, after: $after) {
      edges {
        node {
          id
          name
          prefix
          revoked
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateTokenMutation = graphql(`
  mutation CliCreateToken($name: String!) {
    createToken(name: $name) {
      id
      secret
    }
  }
`);

export const RevokeTokenMutation = graphql(`
  mutation CliRevokeToken($id: UUID!) {
    revokeToken(id: $id)
  }
`);
