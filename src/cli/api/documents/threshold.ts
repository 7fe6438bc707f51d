import { graphql } from '../gql.js';

export const ThresholdsQuery = graphql(`
  query CliThresholds($project: String!, $first: Int, $after: String) {
    thresholds(project: $project, first: $first, after: $after) {
      edges {
        node {
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
  }
`);
