import { graphql } from '../gql.js';

export const JobStatusSubscription = graphql(`
  subscription CliJobStatus($jobId: UUID!) {
    jobStatus(jobId: $jobId) {
      id
      status
      exitCode
      failureReason
      failureMessage
      runner {
        name
        slug
      }
    }
  }
`);

export const JobLogsSubscription = graphql(`
  subscription CliJobLogs($jobId: UUID!, $afterSeq: Int) {
    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {
      seq
      stream
      # The bytes in base64: text turns a character split between two chunks into U+FFFD.
      data
    }
  }
`);
