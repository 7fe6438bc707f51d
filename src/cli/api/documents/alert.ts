import { graphql } from '../gql.js';

export const AlertsQuery = graphql(`
  query CliAlerts($project: String!, $status: AlertStatus, $first: Int, $after: String) {
    alerts(project: $project, status: $status, first: $first, after: $after) {
      edges {
        node {
          ...AlertSummary
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const UpdateAlertMutation = graphql(`
  mutation CliUpdateAlert($id: UUID!, $status: AlertStatus!) {
    # Only what alert dismiss prints: its JSON form is { id, status }.
    updateAlert(id: $id, status: $status) {
      id
      status
    }
  }
`);
