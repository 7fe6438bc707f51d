import { graphql } from '../gql/index.js';

// Selections the CLI and the console both send, written once: a field added here reaches both
// (codegen finds these by the `graphql` name; a document uses one by spreading its name).
// A side that needs more selects its extra fields next to the spread.

/** How a dimension is named wherever one is shown. */
export const NamedBranchFragment = graphql(`
  fragment NamedBranch on Branch {
    id
    name
    slug
  }
`);

export const NamedTestbedFragment = graphql(`
  fragment NamedTestbed on Testbed {
    id
    name
    slug
  }
`);

export const NamedBenchmarkFragment = graphql(`
  fragment NamedBenchmark on Benchmark {
    id
    name
    slug
  }
`);

export const NamedMeasureFragment = graphql(`
  fragment NamedMeasure on Measure {
    id
    name
    slug
    units
  }
`);

/** Where the next page of a connection starts. */
export const PageCursorFragment = graphql(`
  fragment PageCursor on PageInfo {
    hasNextPage
    endCursor
  }
`);

/** Who is signed in. */
export const ViewerFragment = graphql(`
  fragment Viewer on User {
    id
    name
    slug
    isAdmin
  }
`);

export const ProjectSummaryFragment = graphql(`
  fragment ProjectSummary on Project {
    id
    name
    slug
    visibility
    canWrite
    createdAt
  }
`);

export const OrganizationSummaryFragment = graphql(`
  fragment OrganizationSummary on Organization {
    slug
    name
    plan
    planLevel
  }
`);

/** A job's state as lists, pages and live streams show it. */
export const JobSummaryFragment = graphql(`
  fragment JobSummary on Job {
    id
    status
    createdAt
    claimedAt
    startedAt
    finishedAt
    exitCode
    failureReason
    failureMessage
    reportId
    runner {
      name
      slug
    }
  }
`);

/** The host's noise as a job's probe measured it. */
export const JobNoiseFragment = graphql(`
  fragment JobNoise on Noise {
    cvPct
    stealPct
    load
    involuntaryContextSwitches
    probeMs
    truncated
    tuning
  }
`);

/** Why a confirmation decided what it did: the test, its figures and both arms' samples. */
export const AlertEvidenceFragment = graphql(`
  fragment AlertEvidenceFields on AlertEvidence {
    test
    pValue
    adjustedPValue
    changePercent
    lowerPercent
    upperPercent
    rounds
    head
    base
    baseDigest
  }
`);

/** An alert as lists show it: where, which side, how far, and the confirmation's verdict. */
export const AlertSummaryFragment = graphql(`
  fragment AlertSummary on Alert {
    id
    side
    status
    verdict
    createdAt
    value
    limit
    evidence {
      ...AlertEvidenceFields
    }
    benchmark {
      ...NamedBenchmark
    }
    measure {
      ...NamedMeasure
    }
    branch {
      ...NamedBranch
    }
    testbed {
      ...NamedTestbed
    }
    report {
      id
    }
  }
`);

/** One iteration of a report's results: per benchmark, each measure's value, limits and alert. */
export const IterationResultsFragment = graphql(`
  fragment IterationResults on ReportIteration {
    iteration
    benchmarks {
      benchmark {
        ...NamedBenchmark
      }
      measures {
        measure {
          ...NamedMeasure
        }
        value
        lowerValue
        upperValue
        baseline
        lowerLimit
        upperLimit
        change
        alert {
          id
          side
          status
          verdict
          evidence {
            ...AlertEvidenceFields
          }
          limit
        }
      }
    }
  }
`);

/** One page of a report's results (100 benchmarks at most) and where the next starts. */
export const ResultPageFragment = graphql(`
  fragment ResultPage on ReportResultPage {
    iterations {
      ...IterationResults
    }
    hasNextPage
    endCursor
  }
`);
