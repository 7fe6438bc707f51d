import { graphql } from '../gql.js';

export const AlertsQuery = graphql(`
  query CliAlerts($project: String!, $status: AlertStatus, $first: Int, $after: String) {
    alerts(project: $project, status: $status, first: $first, after: $after) {
      edges {
        node {
          id
          side
          status
          createdAt
          value
          limit
          benchmark {
            name
            slug
          }
          measure {
            name
            slug
          }
          branch {
            name
            slug
          }
          testbed {
            name
            slug
          }
          report {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const UpdateAlertMutation = graphql(`
  mutation CliUpdateAlert($id: UUID!, $status: AlertStatus!) {
    updateAlert(id: $id, status: $status) {
      id
      status
    }
  }
`);
