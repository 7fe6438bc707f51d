import { graphql } from '../gql.js';

export const MeQuery = graphql(`
  query CliMe {
    me {
      id
      name
      slug
      isAdmin
      organizations {
        slug
        name
        myRole
      }
    }
  }
`);
