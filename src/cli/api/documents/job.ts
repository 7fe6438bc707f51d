import { graphql } from '../gql.js';

export const JobQuery = graphql(`
  query CliJob($id: UUID!) {
    job(id: $id) {
      id
      status
      priority
      createdAt
      claimedAt
      startedAt
      finishedAt
      exitCode
      failureReason
      failureMessage
      runner {
        name
        slug
      }
      reportId
      project {
        slug
      }
    }
  }
`);

export const JobsQuery = graphql(`
  query CliJobs($project: String!, $status: JobStatus, $first: Int, $after: String) {
    jobs(project: $project, status: $status, first: $first, after: $after) {
      edges {
        node {
          id
          status
          createdAt
          startedAt
          finishedAt
          failureReason
          runner {
            slug
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

export const CancelJobMutation = graphql(`
  mutation CliCancelJob($id: UUID!) {
    cancelJob(id: $id) {
      id
      status
    }
  }
`);

export const JobLogChunksQuery = graphql(`
  query CliJobLogChunks($jobId: UUID!, $afterSeq: Int, $first: Int) {
    jobLogChunks(jobId: $jobId, afterSeq: $afterSeq, first: $first) {
      seq
      stream
      # The bytes in base64: text turns a character split between two chunks into U+FFFD.
      data
    }
  }
`);
