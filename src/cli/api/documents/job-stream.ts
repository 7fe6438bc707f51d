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
      # text is the UTF-8 of the bytes; data is them in base64
      data: text
    }
  }
`);
