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
      ...ReportResults
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
