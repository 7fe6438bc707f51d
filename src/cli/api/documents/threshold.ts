import { graphql } from '../gql.js';

/** What `threshold list` and `threshold create` print of a threshold (table columns and JSON). */
export const CliThresholdFragment = graphql(`
  fragment CliThreshold on Threshold {
    id
    branch {
      slug
    }
    testbed {
      slug
    }
    measure {
      slug
    }
    model {
      test
      minSampleSize
      maxSampleSize
      window
      lowerBoundary
      upperBoundary
    }
  }
`);

export const ThresholdsQuery = graphql(`
  query CliThresholds($project: String!, $first: Int, $after: String) {
    thresholds(project: $project, first: $first, after: $after) {
      edges {
        node {
          ...CliThreshold
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateThresholdMutation = graphql(`
  mutation CliCreateThreshold($input: CreateThresholdInput!) {
    createThreshold(input: $input) {
      ...CliThreshold
    }
  }
`);
