import { graphql } from '../gql.js';

export const LogChunkBytesFragment = graphql(`
  fragment LogChunkBytes on JobLogChunk {
    seq
    stream
    # The bytes in base64: text turns a character split between two chunks into U+FFFD.
    data
  }
`);

export const JobStatusSubscription = graphql(`
  subscription CliJobStatus($jobId: UUID!) {
    jobStatus(jobId: $jobId) {
      ...JobSummary
    }
  }
`);

export const JobLogsSubscription = graphql(`
  subscription CliJobLogs($jobId: UUID!, $afterSeq: Int) {
    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {
      ...LogChunkBytes
    }
  }
`);
