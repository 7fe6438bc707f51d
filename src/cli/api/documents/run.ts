import { graphql } from '../gql.js';

export const CreateRunMutation = graphql(`
  mutation CliCreateRun($input: CreateRunInput!) {
    createRun(input: $input) {
      report {
        id
      }
      job {
        id
        status
        slots {
          tier
          limit
          busy
        }
      }
    }
  }
`);

export const RunReportQuery = graphql(`
  query CliRunReport($id: UUID!) {
    report(id: $id) {
      id
      error
      job {
        noise {
          ...JobNoise
        }
      }
      project {
        slug
      }
      confirmation {
        id
        status
        config {
          rounds
        }
      }
      branch {
        id
        slug
      }
      testbed {
        id
        slug
      }
      resultPage(first: 100) {
        ...ResultPage
      }
    }
  }
`);

/** The server pages a report's results by 100 benchmarks (RESULT_PAGE_MAX): the pages after the first. */
export const RunReportPageQuery = graphql(`
  query CliRunReportPage($id: UUID!, $after: String!) {
    report(id: $id) {
      resultPage(first: 100, after: $after) {
        ...ResultPage
      }
    }
  }
`);

export const PerfQuery = graphql(`
  query CliPerf(
    $project: String!
    $benchmarks: [String!]!
    $measures: [String!]
    $branches: [String!]
    $testbeds: [String!]
    $last: Int
  ) {
    perf(
      project: $project
      benchmarks: $benchmarks
      measures: $measures
      branches: $branches
      testbeds: $testbeds
      last: $last
    ) {
      benchmark {
        id
      }
      measure {
        id
      }
      points {
        value
      }
    }
  }
`);
