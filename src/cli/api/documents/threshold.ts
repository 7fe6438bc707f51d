import { graphql } from '../gql.js';

export const ThresholdFieldsFragment = graphql(`
  fragment ThresholdFields on Threshold {
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
          ...ThresholdFields
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateThresholdMutation = graphql(`
  mutation CliCreateThreshold($input: CreateThresholdInput!) {
    createThreshold(input: $input) {
      ...ThresholdFields
    }
  }
`);
