import { graphql } from '../../../gql/index.js';

// Every operation the console sends. The rest of the console imports these, never raw strings.

export const MeQuery = graphql(`
  query ConsoleMe {
    me {
      ...Viewer
    }
  }
`);

export const ProjectsQuery = graphql(`
  query ConsoleProjects($after: String) {
    projects(first: 100, after: $after) {
      edges {
        node {
          ...ProjectSummary
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const ProjectQuery = graphql(`
  query ConsoleProject($slug: String!) {
    project(slug: $slug) {
      ...ProjectSummary
    }
  }
`);

export const DimensionsQuery = graphql(`
  query ConsoleDimensions($project: String!) {
    branches(project: $project, first: 100) {
      edges {
        node {
          ...NamedBranch
        }
      }
    }
    testbeds(project: $project, first: 100) {
      edges {
        node {
          ...NamedTestbed
        }
      }
    }
    measures(project: $project, first: 100) {
      edges {
        node {
          ...NamedMeasure
        }
      }
    }
    benchmarks(project: $project, first: 100) {
      edges {
        node {
          ...NamedBenchmark
        }
      }
    }
  }
`);

export const JobFields = graphql(`
  fragment ConsoleJob on Job {
    ...JobSummary
    processedAt
    cancelRequested
    config {
      repository
      digest
    }
  }
`);

export const AlertFields = graphql(`
  fragment ConsoleAlert on Alert {
    ...AlertSummary
    active
    confirmationJob {
      id
      status
    }
  }
`);

export const ReportsQuery = graphql(`
  query ConsoleReports($project: String!, $first: Int, $after: String) {
    reports(project: $project, first: $first, after: $after) {
      edges {
        node {
          id
          createdAt
          startTime
          hash
          adapter
          branch {
            ...NamedBranch
          }
          testbed {
            ...NamedTestbed
          }
          job {
            id
            status
          }
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const ReportQuery = graphql(`
  query ConsoleReport($id: UUID!) {
    report(id: $id) {
      id
      createdAt
      startTime
      endTime
      hash
      adapter
      error
      branch {
        ...NamedBranch
      }
      testbed {
        ...NamedTestbed
      }
      job {
        id
        status
        failureReason
        failureMessage
      }
      confirmation {
        id
        status
      }
      resultPage(first: 100) {
        ...ResultPage
      }
      alerts {
        ...ConsoleAlert
      }
    }
  }
`);

/** The server pages a report's results by 100 benchmarks: the pages after the first. */
export const ReportPageQuery = graphql(`
  query ConsoleReportPage($id: UUID!, $after: String!) {
    report(id: $id) {
      id
      resultPage(first: 100, after: $after) {
        ...ResultPage
      }
    }
  }
`);

export const AlertsQuery = graphql(`
  query ConsoleAlerts($project: String!, $status: AlertStatus, $first: Int) {
    alerts(project: $project, status: $status, first: $first) {
      edges {
        node {
          ...ConsoleAlert
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

export const PerfQuery = graphql(`
  query ConsolePerf(
    $project: String!
    $benchmarks: [String!]!
    $measures: [String!]
    $branches: [String!]
    $testbeds: [String!]
    $from: DateTime
    $to: DateTime
    $resolution: Int
  ) {
    perf(
      project: $project
      benchmarks: $benchmarks
      measures: $measures
      branches: $branches
      testbeds: $testbeds
      from: $from
      to: $to
      resolution: $resolution
    ) {
      total
      branch {
        ...NamedBranch
      }
      testbed {
        ...NamedTestbed
      }
      benchmark {
        ...NamedBenchmark
      }
      measure {
        ...NamedMeasure
      }
      points {
        time
        value
        lowerLimit
        upperLimit
        alert {
          id
          side
          status
        }
      }
    }
  }
`);

export const UpdateAlertMutation = graphql(`
  mutation ConsoleUpdateAlert($id: UUID!, $status: AlertStatus!) {
    updateAlert(id: $id, status: $status) {
      ...ConsoleAlert
    }
  }
`);

export const ProjectJobsSubscription = graphql(`
  subscription ConsoleProjectJobs($project: String!) {
    projectJobs(project: $project) {
      ...ConsoleJob
    }
  }
`);

export const JobStatusSubscription = graphql(`
  subscription ConsoleJobStatus($jobId: UUID!) {
    jobStatus(jobId: $jobId) {
      ...ConsoleJob
    }
  }
`);

export const JobLogsSubscription = graphql(`
  subscription ConsoleJobLogs($jobId: UUID!, $afterSeq: Int) {
    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {
      seq
      stream
      text
    }
  }
`);

export const JobReportQuery = graphql(`
  query ConsoleJobReport($id: UUID!) {
    report(id: $id) {
      id
      hash
      branch {
        ...NamedBranch
      }
      testbed {
        ...NamedTestbed
      }
    }
  }
`);

export const JobsQuery = graphql(`
  query ConsoleJobs($project: String!, $status: JobStatus, $first: Int) {
    jobs(project: $project, status: $status, first: $first) {
      edges {
        node {
          ...ConsoleJob
        }
      }
    }
  }
`);

export const JobQuery = graphql(`
  query ConsoleJob($id: UUID!) {
    job(id: $id) {
      ...ConsoleJob
    }
  }
`);

export const CancelJobMutation = graphql(`
  mutation ConsoleCancelJob($id: UUID!) {
    cancelJob(id: $id) {
      ...ConsoleJob
    }
  }
`);

export const JobNoiseQuery = graphql(`
  query ConsoleJobNoise($id: UUID!) {
    job(id: $id) {
      id
      runner {
        slug
        name
      }
      noise {
        ...JobNoise
      }
    }
  }
`);

export const RunnerNoiseQuery = graphql(`
  query ConsoleRunnerNoise($slug: String!) {
    runner(slug: $slug) {
      id
      name
      slug
      lastSeenAt
      noiseMeasuredAt
      noise {
        cvPct
        stealPct
        load
        truncated
        tuning
      }
      noiseHistory(last: 500) {
        jobId
        at
        cvPct
        stealPct
        load
        truncated
        tuning
      }
      preflight {
        at
        checks {
          check
          level
          message
        }
        tuning {
          knob
          status
          detail
        }
      }
    }
  }
`);
