import { graphql } from '../gql.js';

export const JobQuery = graphql(`
  query CliJob($id: UUID!) {
    job(id: $id) {
      ...JobSummary
      priority
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
          ...JobSummary
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CancelJobMutation = graphql(`
  mutation CliCancelJob($id: UUID!) {
    cancelJob(id: $id) {
      ...JobSummary
    }
  }
`);

export const JobLogChunksQuery = graphql(`
  query CliJobLogChunks($jobId: UUID!, $afterSeq: Int, $first: Int) {
    jobLogChunks(jobId: $jobId, afterSeq: $afterSeq, first: $first) {
      ...LogChunkBytes
    }
  }
`);
