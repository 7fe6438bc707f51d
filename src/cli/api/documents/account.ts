import { graphql } from '../gql.js';

export const MeQuery = graphql(`
  query CliMe {
    me {
      ...Viewer
      organizations {
        ...OrganizationSummary
        myRole
      }
    }
  }
`);
