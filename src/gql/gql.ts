/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment NamedBranch on Branch {\n    id\n    name\n    slug\n  }\n": typeof types.NamedBranchFragmentDoc,
    "\n  fragment NamedTestbed on Testbed {\n    id\n    name\n    slug\n  }\n": typeof types.NamedTestbedFragmentDoc,
    "\n  fragment NamedBenchmark on Benchmark {\n    id\n    name\n    slug\n  }\n": typeof types.NamedBenchmarkFragmentDoc,
    "\n  fragment NamedMeasure on Measure {\n    id\n    name\n    slug\n    units\n  }\n": typeof types.NamedMeasureFragmentDoc,
    "\n  fragment PageCursor on PageInfo {\n    hasNextPage\n    endCursor\n  }\n": typeof types.PageCursorFragmentDoc,
    "\n  fragment Viewer on User {\n    id\n    name\n    slug\n    isAdmin\n  }\n": typeof types.ViewerFragmentDoc,
    "\n  fragment ProjectSummary on Project {\n    id\n    name\n    slug\n    visibility\n    canWrite\n    createdAt\n  }\n": typeof types.ProjectSummaryFragmentDoc,
    "\n  fragment OrganizationSummary on Organization {\n    slug\n    name\n    plan\n    planLevel\n  }\n": typeof types.OrganizationSummaryFragmentDoc,
    "\n  fragment JobSummary on Job {\n    id\n    status\n    createdAt\n    claimedAt\n    startedAt\n    finishedAt\n    exitCode\n    failureReason\n    failureMessage\n    reportId\n    runner {\n      name\n      slug\n    }\n  }\n": typeof types.JobSummaryFragmentDoc,
    "\n  fragment JobNoise on Noise {\n    cvPct\n    stealPct\n    load\n    involuntaryContextSwitches\n    probeMs\n    truncated\n    tuning\n  }\n": typeof types.JobNoiseFragmentDoc,
    "\n  fragment AlertEvidenceFields on AlertEvidence {\n    test\n    pValue\n    adjustedPValue\n    changePercent\n    lowerPercent\n    upperPercent\n    rounds\n    head\n    base\n    baseDigest\n  }\n": typeof types.AlertEvidenceFieldsFragmentDoc,
    "\n  fragment AlertSummary on Alert {\n    id\n    side\n    status\n    verdict\n    createdAt\n    value\n    limit\n    evidence {\n      ...AlertEvidenceFields\n    }\n    benchmark {\n      ...NamedBenchmark\n    }\n    measure {\n      ...NamedMeasure\n    }\n    branch {\n      ...NamedBranch\n    }\n    testbed {\n      ...NamedTestbed\n    }\n    report {\n      id\n    }\n  }\n": typeof types.AlertSummaryFragmentDoc,
    "\n  fragment IterationResults on ReportIteration {\n    iteration\n    benchmarks {\n      benchmark {\n        ...NamedBenchmark\n      }\n      measures {\n        measure {\n          ...NamedMeasure\n        }\n        value\n        lowerValue\n        upperValue\n        baseline\n        lowerLimit\n        upperLimit\n        change\n        alert {\n          id\n          side\n          status\n          verdict\n          evidence {\n            ...AlertEvidenceFields\n          }\n          limit\n        }\n      }\n    }\n  }\n": typeof types.IterationResultsFragmentDoc,
    "\n  fragment ResultPage on ReportResultPage {\n    iterations {\n      ...IterationResults\n    }\n    hasNextPage\n    endCursor\n  }\n": typeof types.ResultPageFragmentDoc,
    "\n  query CliMe {\n    me {\n      ...Viewer\n      organizations {\n        ...OrganizationSummary\n        myRole\n      }\n    }\n  }\n": typeof types.CliMeDocument,
    "\n  query CliAlerts($project: String!, $status: AlertStatus, $first: Int, $after: String) {\n    alerts(project: $project, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...AlertSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliAlertsDocument,
    "\n  mutation CliUpdateAlert($id: UUID!, $status: AlertStatus!) {\n    # Only what alert dismiss prints: its JSON form is { id, status }.\n    updateAlert(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n": typeof types.CliUpdateAlertDocument,
    "\n  fragment LogChunkBytes on JobLogChunk {\n    seq\n    stream\n    # The bytes in base64: text turns a character split between two chunks into U+FFFD.\n    data\n  }\n": typeof types.LogChunkBytesFragmentDoc,
    "\n  subscription CliJobStatus($jobId: UUID!) {\n    jobStatus(jobId: $jobId) {\n      ...JobSummary\n    }\n  }\n": typeof types.CliJobStatusDocument,
    "\n  subscription CliJobLogs($jobId: UUID!, $afterSeq: Int) {\n    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {\n      ...LogChunkBytes\n    }\n  }\n": typeof types.CliJobLogsDocument,
    "\n  query CliJob($id: UUID!) {\n    job(id: $id) {\n      ...JobSummary\n      priority\n      project {\n        slug\n      }\n    }\n  }\n": typeof types.CliJobDocument,
    "\n  query CliJobs($project: String!, $status: JobStatus, $first: Int, $after: String) {\n    jobs(project: $project, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...JobSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliJobsDocument,
    "\n  mutation CliCancelJob($id: UUID!) {\n    cancelJob(id: $id) {\n      ...JobSummary\n    }\n  }\n": typeof types.CliCancelJobDocument,
    "\n  query CliJobLogChunks($jobId: UUID!, $afterSeq: Int, $first: Int) {\n    jobLogChunks(jobId: $jobId, afterSeq: $afterSeq, first: $first) {\n      ...LogChunkBytes\n    }\n  }\n": typeof types.CliJobLogChunksDocument,
    "\n  query CliOrganizations($first: Int, $after: String) {\n    organizations(first: $first, after: $after) {\n      edges {\n        node {\n          ...OrganizationSummary\n          myRole\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliOrganizationsDocument,
    "\n  mutation CliCreateOrganization($name: String!, $slug: String) {\n    createOrganization(name: $name, slug: $slug) {\n      ...OrganizationSummary\n    }\n  }\n": typeof types.CliCreateOrganizationDocument,
    "\n  query CliOrganizationMembers($slug: String!) {\n    organization(slug: $slug) {\n      slug\n      members {\n        user\n        name\n        role\n      }\n    }\n  }\n": typeof types.CliOrganizationMembersDocument,
    "\n  mutation CliSetMembership($organization: String!, $user: String!, $role: Role) {\n    setMembership(organization: $organization, user: $user, role: $role)\n  }\n": typeof types.CliSetMembershipDocument,
    "\n  mutation CliSetOrganizationPlan($organization: String!, $plan: Plan!, $level: PlanLevel!) {\n    setOrganizationPlan(organization: $organization, plan: $plan, level: $level) {\n      ...OrganizationSummary\n    }\n  }\n": typeof types.CliSetOrganizationPlanDocument,
    "\n  query CliTokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          prefix\n          revoked\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliTokensDocument,
    "\n  mutation CliCreateToken($name: String!) {\n    createToken(name: $name) {\n      id\n      secret\n    }\n  }\n": typeof types.CliCreateTokenDocument,
    "\n  mutation CliRevokeToken($id: UUID!) {\n    revokeToken(id: $id)\n  }\n": typeof types.CliRevokeTokenDocument,
    "\n  query CliProjects($first: Int, $after: String) {\n    projects(first: $first, after: $after) {\n      edges {\n        node {\n          ...ProjectSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliProjectsDocument,
    "\n  query CliProject($slug: String!) {\n    project(slug: $slug) {\n      ...ProjectSummary\n      archived\n    }\n  }\n": typeof types.CliProjectDocument,
    "\n  mutation CliCreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n      slug\n      visibility\n    }\n  }\n": typeof types.CliCreateProjectDocument,
    "\n  query CliBranches($project: String!, $first: Int, $after: String) {\n    branches(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          startPointHash\n          startPoint {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliBranchesDocument,
    "\n  mutation CliCreateBranch($input: CreateResourceInput!) {\n    createBranch(input: $input) {\n      ...NamedBranch\n    }\n  }\n": typeof types.CliCreateBranchDocument,
    "\n  query CliTestbeds($project: String!, $first: Int, $after: String) {\n    testbeds(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          spec {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliTestbedsDocument,
    "\n  mutation CliCreateTestbed($input: CreateResourceInput!) {\n    createTestbed(input: $input) {\n      ...NamedTestbed\n    }\n  }\n": typeof types.CliCreateTestbedDocument,
    "\n  query CliSpecs($first: Int, $after: String) {\n    specs(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          os\n          architecture\n          cpu\n          memory\n          disk\n          network\n          isDefault\n          archived\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliSpecsDocument,
    "\n  mutation CliCreateSpec($input: CreateSpecInput!) {\n    createSpec(input: $input) {\n      id\n      name\n      slug\n      isDefault\n    }\n  }\n": typeof types.CliCreateSpecDocument,
    "\n  mutation CliUpdateSpec($slug: String!, $input: UpdateSpecInput!) {\n    updateSpec(slug: $slug, input: $input) {\n      id\n      name\n      slug\n      isDefault\n      archived\n    }\n  }\n": typeof types.CliUpdateSpecDocument,
    "\n  query CliRunners($first: Int, $after: String) {\n    runners(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          archived\n          lastSeenAt\n          specs {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliRunnersDocument,
    "\n  mutation CliCreateRunner($name: String!, $slug: String, $specs: [String!]!) {\n    createRunner(name: $name, slug: $slug, specs: $specs) {\n      key\n      runner {\n        id\n        name\n        slug\n      }\n    }\n  }\n": typeof types.CliCreateRunnerDocument,
    "\n  query CliBenchmarks($project: String!, $first: Int, $after: String, $archived: Boolean) {\n    benchmarks(project: $project, first: $first, after: $after, archived: $archived) {\n      edges {\n        node {\n          id\n          name\n          slug\n          archived\n          createdAt\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliBenchmarksDocument,
    "\n  mutation CliCreateBenchmark($input: CreateResourceInput!) {\n    createBenchmark(input: $input) {\n      id\n      name\n      slug\n    }\n  }\n": typeof types.CliCreateBenchmarkDocument,
    "\n  query CliMeasures($project: String!, $first: Int, $after: String, $archived: Boolean) {\n    measures(project: $project, first: $first, after: $after, archived: $archived) {\n      edges {\n        node {\n          id\n          name\n          slug\n          units\n          archived\n          createdAt\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliMeasuresDocument,
    "\n  mutation CliCreateMeasure($input: CreateResourceInput!) {\n    createMeasure(input: $input) {\n      id\n      name\n      slug\n      units\n    }\n  }\n": typeof types.CliCreateMeasureDocument,
    "\n  mutation CliCreateRun($input: CreateRunInput!) {\n    createRun(input: $input) {\n      report {\n        id\n      }\n      job {\n        id\n        status\n        slots {\n          tier\n          limit\n          busy\n        }\n      }\n    }\n  }\n": typeof types.CliCreateRunDocument,
    "\n  query CliRunReport($id: UUID!) {\n    report(id: $id) {\n      id\n      error\n      job {\n        noise {\n          ...JobNoise\n        }\n      }\n      project {\n        slug\n      }\n      confirmation {\n        id\n        status\n        config {\n          rounds\n        }\n      }\n      branch {\n        id\n        slug\n      }\n      testbed {\n        id\n        slug\n      }\n      resultPage(first: 100) {\n        ...ResultPage\n      }\n    }\n  }\n": typeof types.CliRunReportDocument,
    "\n  query CliRunReportPage($id: UUID!, $after: String!) {\n    report(id: $id) {\n      resultPage(first: 100, after: $after) {\n        ...ResultPage\n      }\n    }\n  }\n": typeof types.CliRunReportPageDocument,
    "\n  query CliPerf(\n    $project: String!\n    $benchmarks: [String!]!\n    $measures: [String!]\n    $branches: [String!]\n    $testbeds: [String!]\n    $last: Int\n  ) {\n    perf(\n      project: $project\n      benchmarks: $benchmarks\n      measures: $measures\n      branches: $branches\n      testbeds: $testbeds\n      last: $last\n    ) {\n      benchmark {\n        id\n      }\n      measure {\n        id\n      }\n      points {\n        value\n      }\n    }\n  }\n": typeof types.CliPerfDocument,
    "\n  fragment ThresholdFields on Threshold {\n    id\n    branch {\n      slug\n    }\n    testbed {\n      slug\n    }\n    measure {\n      slug\n    }\n    model {\n      test\n      minSampleSize\n      maxSampleSize\n      window\n      lowerBoundary\n      upperBoundary\n    }\n  }\n": typeof types.ThresholdFieldsFragmentDoc,
    "\n  query CliThresholds($project: String!, $first: Int, $after: String) {\n    thresholds(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          ...ThresholdFields\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.CliThresholdsDocument,
    "\n  mutation CliCreateThreshold($input: CreateThresholdInput!) {\n    createThreshold(input: $input) {\n      ...ThresholdFields\n    }\n  }\n": typeof types.CliCreateThresholdDocument,
    "\n  query ConsoleMe {\n    me {\n      ...Viewer\n    }\n  }\n": typeof types.ConsoleMeDocument,
    "\n  query ConsoleProjects($after: String) {\n    projects(first: 100, after: $after) {\n      edges {\n        node {\n          ...ProjectSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.ConsoleProjectsDocument,
    "\n  query ConsoleProject($slug: String!) {\n    project(slug: $slug) {\n      ...ProjectSummary\n    }\n  }\n": typeof types.ConsoleProjectDocument,
    "\n  query ConsoleDimensions($project: String!) {\n    branches(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedBranch\n        }\n      }\n    }\n    testbeds(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedTestbed\n        }\n      }\n    }\n    measures(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedMeasure\n        }\n      }\n    }\n    benchmarks(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedBenchmark\n        }\n      }\n    }\n  }\n": typeof types.ConsoleDimensionsDocument,
    "\n  fragment ConsoleJob on Job {\n    ...JobSummary\n    processedAt\n    cancelRequested\n    config {\n      repository\n      digest\n    }\n  }\n": typeof types.ConsoleJobFragmentDoc,
    "\n  fragment ConsoleAlert on Alert {\n    ...AlertSummary\n    active\n    confirmationJob {\n      id\n      status\n    }\n  }\n": typeof types.ConsoleAlertFragmentDoc,
    "\n  query ConsoleReports($project: String!, $first: Int, $after: String) {\n    reports(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          startTime\n          hash\n          adapter\n          branch {\n            ...NamedBranch\n          }\n          testbed {\n            ...NamedTestbed\n          }\n          job {\n            id\n            status\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": typeof types.ConsoleReportsDocument,
    "\n  query ConsoleReport($id: UUID!) {\n    report(id: $id) {\n      id\n      createdAt\n      startTime\n      endTime\n      hash\n      adapter\n      error\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n      job {\n        id\n        status\n        failureReason\n        failureMessage\n      }\n      confirmation {\n        id\n        status\n      }\n      resultPage(first: 100) {\n        ...ResultPage\n      }\n      alerts {\n        ...ConsoleAlert\n      }\n    }\n  }\n": typeof types.ConsoleReportDocument,
    "\n  query ConsoleReportPage($id: UUID!, $after: String!) {\n    report(id: $id) {\n      id\n      resultPage(first: 100, after: $after) {\n        ...ResultPage\n      }\n    }\n  }\n": typeof types.ConsoleReportPageDocument,
    "\n  query ConsoleAlerts($project: String!, $status: AlertStatus, $first: Int) {\n    alerts(project: $project, status: $status, first: $first) {\n      edges {\n        node {\n          ...ConsoleAlert\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": typeof types.ConsoleAlertsDocument,
    "\n  query ConsolePerf(\n    $project: String!\n    $benchmarks: [String!]!\n    $measures: [String!]\n    $branches: [String!]\n    $testbeds: [String!]\n    $from: DateTime\n    $to: DateTime\n    $resolution: Int\n  ) {\n    perf(\n      project: $project\n      benchmarks: $benchmarks\n      measures: $measures\n      branches: $branches\n      testbeds: $testbeds\n      from: $from\n      to: $to\n      resolution: $resolution\n    ) {\n      total\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n      benchmark {\n        ...NamedBenchmark\n      }\n      measure {\n        ...NamedMeasure\n      }\n      points {\n        time\n        value\n        lowerLimit\n        upperLimit\n        alert {\n          id\n          side\n          status\n        }\n      }\n    }\n  }\n": typeof types.ConsolePerfDocument,
    "\n  mutation ConsoleUpdateAlert($id: UUID!, $status: AlertStatus!) {\n    updateAlert(id: $id, status: $status) {\n      ...ConsoleAlert\n    }\n  }\n": typeof types.ConsoleUpdateAlertDocument,
    "\n  subscription ConsoleProjectJobs($project: String!) {\n    projectJobs(project: $project) {\n      ...ConsoleJob\n    }\n  }\n": typeof types.ConsoleProjectJobsDocument,
    "\n  subscription ConsoleJobStatus($jobId: UUID!) {\n    jobStatus(jobId: $jobId) {\n      ...ConsoleJob\n    }\n  }\n": typeof types.ConsoleJobStatusDocument,
    "\n  subscription ConsoleJobLogs($jobId: UUID!, $afterSeq: Int) {\n    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {\n      seq\n      stream\n      text\n    }\n  }\n": typeof types.ConsoleJobLogsDocument,
    "\n  query ConsoleJobReport($id: UUID!) {\n    report(id: $id) {\n      id\n      hash\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n    }\n  }\n": typeof types.ConsoleJobReportDocument,
    "\n  query ConsoleJobs($project: String!, $status: JobStatus, $first: Int) {\n    jobs(project: $project, status: $status, first: $first) {\n      edges {\n        node {\n          ...ConsoleJob\n        }\n      }\n    }\n  }\n": typeof types.ConsoleJobsDocument,
    "\n  query ConsoleJob($id: UUID!) {\n    job(id: $id) {\n      ...ConsoleJob\n    }\n  }\n": typeof types.ConsoleJobDocument,
    "\n  mutation ConsoleCancelJob($id: UUID!) {\n    cancelJob(id: $id) {\n      ...ConsoleJob\n    }\n  }\n": typeof types.ConsoleCancelJobDocument,
    "\n  query ConsoleJobNoise($id: UUID!) {\n    job(id: $id) {\n      id\n      runner {\n        slug\n        name\n      }\n      noise {\n        ...JobNoise\n      }\n    }\n  }\n": typeof types.ConsoleJobNoiseDocument,
    "\n  query ConsoleRunnerNoise($slug: String!) {\n    runner(slug: $slug) {\n      id\n      name\n      slug\n      lastSeenAt\n      noiseMeasuredAt\n      noise {\n        cvPct\n        stealPct\n        load\n        truncated\n        tuning\n      }\n      noiseHistory(last: 500) {\n        jobId\n        at\n        cvPct\n        stealPct\n        load\n        truncated\n        tuning\n      }\n      preflight {\n        at\n        checks {\n          check\n          level\n          message\n        }\n        tuning {\n          knob\n          status\n          detail\n        }\n      }\n    }\n  }\n": typeof types.ConsoleRunnerNoiseDocument,
    "\n  mutation RunnerClaimJob($specs: [String!], $waitSeconds: Int, $start: Boolean) {\n    claimJob(specs: $specs, waitSeconds: $waitSeconds, start: $start) {\n      job {\n        id\n        status\n        spec {\n          network\n          cpu\n          memory\n          disk\n          processes\n        }\n      }\n      pullToken\n      config {\n        registryUrl\n        repository\n        digest\n        entrypoint\n        cmd\n        env\n        timeoutSeconds\n        filePaths\n        iterations\n        kind\n        rounds\n        arms {\n          name\n          repository\n          digest\n        }\n      }\n    }\n  }\n": typeof types.RunnerClaimJobDocument,
    "\n  mutation RunnerStartJob($jobId: UUID!, $noise: NoiseInput) {\n    startJob(jobId: $jobId, noise: $noise) {\n      id\n      status\n    }\n  }\n": typeof types.RunnerStartJobDocument,
    "\n  mutation RunnerReportPreflight($checks: [PreflightCheckInput!]!, $tuning: [TuningKnobInput!]) {\n    reportPreflight(checks: $checks, tuning: $tuning)\n  }\n": typeof types.RunnerReportPreflightDocument,
    "\n  mutation RunnerAppendJobLogs($jobId: UUID!, $chunks: [LogChunkInput!]!) {\n    appendJobLogs(jobId: $jobId, chunks: $chunks)\n  }\n": typeof types.RunnerAppendJobLogsDocument,
    "\n  mutation RunnerHeartbeatJob($jobId: UUID!, $waitSeconds: Int) {\n    heartbeatJob(jobId: $jobId, waitSeconds: $waitSeconds) {\n      cancel\n    }\n  }\n": typeof types.RunnerHeartbeatJobDocument,
    "\n  mutation RunnerCompleteJob(\n    $jobId: UUID!\n    $exitCode: Int!\n    $outputs: [JobOutputInput!]!\n    $noise: NoiseInput\n  ) {\n    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise) {\n      id\n      status\n    }\n  }\n": typeof types.RunnerCompleteJobDocument,
    "\n  mutation RunnerCompleteJobWithLogs(\n    $jobId: UUID!\n    $chunks: [LogChunkInput!]!\n    $exitCode: Int!\n    $outputs: [JobOutputInput!]!\n    $noise: NoiseInput\n  ) {\n    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise, logs: $chunks) {\n      id\n      status\n    }\n  }\n": typeof types.RunnerCompleteJobWithLogsDocument,
    "\n  mutation RunnerFailJob(\n    $jobId: UUID!\n    $reason: RunnerFailureReason!\n    $message: String\n    $noise: NoiseInput\n  ) {\n    failJob(jobId: $jobId, reason: $reason, message: $message, noise: $noise) {\n      id\n      status\n    }\n  }\n": typeof types.RunnerFailJobDocument,
};
const documents: Documents = {
    "\n  fragment NamedBranch on Branch {\n    id\n    name\n    slug\n  }\n": types.NamedBranchFragmentDoc,
    "\n  fragment NamedTestbed on Testbed {\n    id\n    name\n    slug\n  }\n": types.NamedTestbedFragmentDoc,
    "\n  fragment NamedBenchmark on Benchmark {\n    id\n    name\n    slug\n  }\n": types.NamedBenchmarkFragmentDoc,
    "\n  fragment NamedMeasure on Measure {\n    id\n    name\n    slug\n    units\n  }\n": types.NamedMeasureFragmentDoc,
    "\n  fragment PageCursor on PageInfo {\n    hasNextPage\n    endCursor\n  }\n": types.PageCursorFragmentDoc,
    "\n  fragment Viewer on User {\n    id\n    name\n    slug\n    isAdmin\n  }\n": types.ViewerFragmentDoc,
    "\n  fragment ProjectSummary on Project {\n    id\n    name\n    slug\n    visibility\n    canWrite\n    createdAt\n  }\n": types.ProjectSummaryFragmentDoc,
    "\n  fragment OrganizationSummary on Organization {\n    slug\n    name\n    plan\n    planLevel\n  }\n": types.OrganizationSummaryFragmentDoc,
    "\n  fragment JobSummary on Job {\n    id\n    status\n    createdAt\n    claimedAt\n    startedAt\n    finishedAt\n    exitCode\n    failureReason\n    failureMessage\n    reportId\n    runner {\n      name\n      slug\n    }\n  }\n": types.JobSummaryFragmentDoc,
    "\n  fragment JobNoise on Noise {\n    cvPct\n    stealPct\n    load\n    involuntaryContextSwitches\n    probeMs\n    truncated\n    tuning\n  }\n": types.JobNoiseFragmentDoc,
    "\n  fragment AlertEvidenceFields on AlertEvidence {\n    test\n    pValue\n    adjustedPValue\n    changePercent\n    lowerPercent\n    upperPercent\n    rounds\n    head\n    base\n    baseDigest\n  }\n": types.AlertEvidenceFieldsFragmentDoc,
    "\n  fragment AlertSummary on Alert {\n    id\n    side\n    status\n    verdict\n    createdAt\n    value\n    limit\n    evidence {\n      ...AlertEvidenceFields\n    }\n    benchmark {\n      ...NamedBenchmark\n    }\n    measure {\n      ...NamedMeasure\n    }\n    branch {\n      ...NamedBranch\n    }\n    testbed {\n      ...NamedTestbed\n    }\n    report {\n      id\n    }\n  }\n": types.AlertSummaryFragmentDoc,
    "\n  fragment IterationResults on ReportIteration {\n    iteration\n    benchmarks {\n      benchmark {\n        ...NamedBenchmark\n      }\n      measures {\n        measure {\n          ...NamedMeasure\n        }\n        value\n        lowerValue\n        upperValue\n        baseline\n        lowerLimit\n        upperLimit\n        change\n        alert {\n          id\n          side\n          status\n          verdict\n          evidence {\n            ...AlertEvidenceFields\n          }\n          limit\n        }\n      }\n    }\n  }\n": types.IterationResultsFragmentDoc,
    "\n  fragment ResultPage on ReportResultPage {\n    iterations {\n      ...IterationResults\n    }\n    hasNextPage\n    endCursor\n  }\n": types.ResultPageFragmentDoc,
    "\n  query CliMe {\n    me {\n      ...Viewer\n      organizations {\n        ...OrganizationSummary\n        myRole\n      }\n    }\n  }\n": types.CliMeDocument,
    "\n  query CliAlerts($project: String!, $status: AlertStatus, $first: Int, $after: String) {\n    alerts(project: $project, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...AlertSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliAlertsDocument,
    "\n  mutation CliUpdateAlert($id: UUID!, $status: AlertStatus!) {\n    # Only what alert dismiss prints: its JSON form is { id, status }.\n    updateAlert(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n": types.CliUpdateAlertDocument,
    "\n  fragment LogChunkBytes on JobLogChunk {\n    seq\n    stream\n    # The bytes in base64: text turns a character split between two chunks into U+FFFD.\n    data\n  }\n": types.LogChunkBytesFragmentDoc,
    "\n  subscription CliJobStatus($jobId: UUID!) {\n    jobStatus(jobId: $jobId) {\n      ...JobSummary\n    }\n  }\n": types.CliJobStatusDocument,
    "\n  subscription CliJobLogs($jobId: UUID!, $afterSeq: Int) {\n    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {\n      ...LogChunkBytes\n    }\n  }\n": types.CliJobLogsDocument,
    "\n  query CliJob($id: UUID!) {\n    job(id: $id) {\n      ...JobSummary\n      priority\n      project {\n        slug\n      }\n    }\n  }\n": types.CliJobDocument,
    "\n  query CliJobs($project: String!, $status: JobStatus, $first: Int, $after: String) {\n    jobs(project: $project, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...JobSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliJobsDocument,
    "\n  mutation CliCancelJob($id: UUID!) {\n    cancelJob(id: $id) {\n      ...JobSummary\n    }\n  }\n": types.CliCancelJobDocument,
    "\n  query CliJobLogChunks($jobId: UUID!, $afterSeq: Int, $first: Int) {\n    jobLogChunks(jobId: $jobId, afterSeq: $afterSeq, first: $first) {\n      ...LogChunkBytes\n    }\n  }\n": types.CliJobLogChunksDocument,
    "\n  query CliOrganizations($first: Int, $after: String) {\n    organizations(first: $first, after: $after) {\n      edges {\n        node {\n          ...OrganizationSummary\n          myRole\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliOrganizationsDocument,
    "\n  mutation CliCreateOrganization($name: String!, $slug: String) {\n    createOrganization(name: $name, slug: $slug) {\n      ...OrganizationSummary\n    }\n  }\n": types.CliCreateOrganizationDocument,
    "\n  query CliOrganizationMembers($slug: String!) {\n    organization(slug: $slug) {\n      slug\n      members {\n        user\n        name\n        role\n      }\n    }\n  }\n": types.CliOrganizationMembersDocument,
    "\n  mutation CliSetMembership($organization: String!, $user: String!, $role: Role) {\n    setMembership(organization: $organization, user: $user, role: $role)\n  }\n": types.CliSetMembershipDocument,
    "\n  mutation CliSetOrganizationPlan($organization: String!, $plan: Plan!, $level: PlanLevel!) {\n    setOrganizationPlan(organization: $organization, plan: $plan, level: $level) {\n      ...OrganizationSummary\n    }\n  }\n": types.CliSetOrganizationPlanDocument,
    "\n  query CliTokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          prefix\n          revoked\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliTokensDocument,
    "\n  mutation CliCreateToken($name: String!) {\n    createToken(name: $name) {\n      id\n      secret\n    }\n  }\n": types.CliCreateTokenDocument,
    "\n  mutation CliRevokeToken($id: UUID!) {\n    revokeToken(id: $id)\n  }\n": types.CliRevokeTokenDocument,
    "\n  query CliProjects($first: Int, $after: String) {\n    projects(first: $first, after: $after) {\n      edges {\n        node {\n          ...ProjectSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliProjectsDocument,
    "\n  query CliProject($slug: String!) {\n    project(slug: $slug) {\n      ...ProjectSummary\n      archived\n    }\n  }\n": types.CliProjectDocument,
    "\n  mutation CliCreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n      slug\n      visibility\n    }\n  }\n": types.CliCreateProjectDocument,
    "\n  query CliBranches($project: String!, $first: Int, $after: String) {\n    branches(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          startPointHash\n          startPoint {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliBranchesDocument,
    "\n  mutation CliCreateBranch($input: CreateResourceInput!) {\n    createBranch(input: $input) {\n      ...NamedBranch\n    }\n  }\n": types.CliCreateBranchDocument,
    "\n  query CliTestbeds($project: String!, $first: Int, $after: String) {\n    testbeds(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          spec {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliTestbedsDocument,
    "\n  mutation CliCreateTestbed($input: CreateResourceInput!) {\n    createTestbed(input: $input) {\n      ...NamedTestbed\n    }\n  }\n": types.CliCreateTestbedDocument,
    "\n  query CliSpecs($first: Int, $after: String) {\n    specs(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          os\n          architecture\n          cpu\n          memory\n          disk\n          network\n          isDefault\n          archived\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliSpecsDocument,
    "\n  mutation CliCreateSpec($input: CreateSpecInput!) {\n    createSpec(input: $input) {\n      id\n      name\n      slug\n      isDefault\n    }\n  }\n": types.CliCreateSpecDocument,
    "\n  mutation CliUpdateSpec($slug: String!, $input: UpdateSpecInput!) {\n    updateSpec(slug: $slug, input: $input) {\n      id\n      name\n      slug\n      isDefault\n      archived\n    }\n  }\n": types.CliUpdateSpecDocument,
    "\n  query CliRunners($first: Int, $after: String) {\n    runners(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          archived\n          lastSeenAt\n          specs {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliRunnersDocument,
    "\n  mutation CliCreateRunner($name: String!, $slug: String, $specs: [String!]!) {\n    createRunner(name: $name, slug: $slug, specs: $specs) {\n      key\n      runner {\n        id\n        name\n        slug\n      }\n    }\n  }\n": types.CliCreateRunnerDocument,
    "\n  query CliBenchmarks($project: String!, $first: Int, $after: String, $archived: Boolean) {\n    benchmarks(project: $project, first: $first, after: $after, archived: $archived) {\n      edges {\n        node {\n          id\n          name\n          slug\n          archived\n          createdAt\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliBenchmarksDocument,
    "\n  mutation CliCreateBenchmark($input: CreateResourceInput!) {\n    createBenchmark(input: $input) {\n      id\n      name\n      slug\n    }\n  }\n": types.CliCreateBenchmarkDocument,
    "\n  query CliMeasures($project: String!, $first: Int, $after: String, $archived: Boolean) {\n    measures(project: $project, first: $first, after: $after, archived: $archived) {\n      edges {\n        node {\n          id\n          name\n          slug\n          units\n          archived\n          createdAt\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliMeasuresDocument,
    "\n  mutation CliCreateMeasure($input: CreateResourceInput!) {\n    createMeasure(input: $input) {\n      id\n      name\n      slug\n      units\n    }\n  }\n": types.CliCreateMeasureDocument,
    "\n  mutation CliCreateRun($input: CreateRunInput!) {\n    createRun(input: $input) {\n      report {\n        id\n      }\n      job {\n        id\n        status\n        slots {\n          tier\n          limit\n          busy\n        }\n      }\n    }\n  }\n": types.CliCreateRunDocument,
    "\n  query CliRunReport($id: UUID!) {\n    report(id: $id) {\n      id\n      error\n      job {\n        noise {\n          ...JobNoise\n        }\n      }\n      project {\n        slug\n      }\n      confirmation {\n        id\n        status\n        config {\n          rounds\n        }\n      }\n      branch {\n        id\n        slug\n      }\n      testbed {\n        id\n        slug\n      }\n      resultPage(first: 100) {\n        ...ResultPage\n      }\n    }\n  }\n": types.CliRunReportDocument,
    "\n  query CliRunReportPage($id: UUID!, $after: String!) {\n    report(id: $id) {\n      resultPage(first: 100, after: $after) {\n        ...ResultPage\n      }\n    }\n  }\n": types.CliRunReportPageDocument,
    "\n  query CliPerf(\n    $project: String!\n    $benchmarks: [String!]!\n    $measures: [String!]\n    $branches: [String!]\n    $testbeds: [String!]\n    $last: Int\n  ) {\n    perf(\n      project: $project\n      benchmarks: $benchmarks\n      measures: $measures\n      branches: $branches\n      testbeds: $testbeds\n      last: $last\n    ) {\n      benchmark {\n        id\n      }\n      measure {\n        id\n      }\n      points {\n        value\n      }\n    }\n  }\n": types.CliPerfDocument,
    "\n  fragment ThresholdFields on Threshold {\n    id\n    branch {\n      slug\n    }\n    testbed {\n      slug\n    }\n    measure {\n      slug\n    }\n    model {\n      test\n      minSampleSize\n      maxSampleSize\n      window\n      lowerBoundary\n      upperBoundary\n    }\n  }\n": types.ThresholdFieldsFragmentDoc,
    "\n  query CliThresholds($project: String!, $first: Int, $after: String) {\n    thresholds(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          ...ThresholdFields\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.CliThresholdsDocument,
    "\n  mutation CliCreateThreshold($input: CreateThresholdInput!) {\n    createThreshold(input: $input) {\n      ...ThresholdFields\n    }\n  }\n": types.CliCreateThresholdDocument,
    "\n  query ConsoleMe {\n    me {\n      ...Viewer\n    }\n  }\n": types.ConsoleMeDocument,
    "\n  query ConsoleProjects($after: String) {\n    projects(first: 100, after: $after) {\n      edges {\n        node {\n          ...ProjectSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.ConsoleProjectsDocument,
    "\n  query ConsoleProject($slug: String!) {\n    project(slug: $slug) {\n      ...ProjectSummary\n    }\n  }\n": types.ConsoleProjectDocument,
    "\n  query ConsoleDimensions($project: String!) {\n    branches(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedBranch\n        }\n      }\n    }\n    testbeds(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedTestbed\n        }\n      }\n    }\n    measures(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedMeasure\n        }\n      }\n    }\n    benchmarks(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedBenchmark\n        }\n      }\n    }\n  }\n": types.ConsoleDimensionsDocument,
    "\n  fragment ConsoleJob on Job {\n    ...JobSummary\n    processedAt\n    cancelRequested\n    config {\n      repository\n      digest\n    }\n  }\n": types.ConsoleJobFragmentDoc,
    "\n  fragment ConsoleAlert on Alert {\n    ...AlertSummary\n    active\n    confirmationJob {\n      id\n      status\n    }\n  }\n": types.ConsoleAlertFragmentDoc,
    "\n  query ConsoleReports($project: String!, $first: Int, $after: String) {\n    reports(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          startTime\n          hash\n          adapter\n          branch {\n            ...NamedBranch\n          }\n          testbed {\n            ...NamedTestbed\n          }\n          job {\n            id\n            status\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n": types.ConsoleReportsDocument,
    "\n  query ConsoleReport($id: UUID!) {\n    report(id: $id) {\n      id\n      createdAt\n      startTime\n      endTime\n      hash\n      adapter\n      error\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n      job {\n        id\n        status\n        failureReason\n        failureMessage\n      }\n      confirmation {\n        id\n        status\n      }\n      resultPage(first: 100) {\n        ...ResultPage\n      }\n      alerts {\n        ...ConsoleAlert\n      }\n    }\n  }\n": types.ConsoleReportDocument,
    "\n  query ConsoleReportPage($id: UUID!, $after: String!) {\n    report(id: $id) {\n      id\n      resultPage(first: 100, after: $after) {\n        ...ResultPage\n      }\n    }\n  }\n": types.ConsoleReportPageDocument,
    "\n  query ConsoleAlerts($project: String!, $status: AlertStatus, $first: Int) {\n    alerts(project: $project, status: $status, first: $first) {\n      edges {\n        node {\n          ...ConsoleAlert\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": types.ConsoleAlertsDocument,
    "\n  query ConsolePerf(\n    $project: String!\n    $benchmarks: [String!]!\n    $measures: [String!]\n    $branches: [String!]\n    $testbeds: [String!]\n    $from: DateTime\n    $to: DateTime\n    $resolution: Int\n  ) {\n    perf(\n      project: $project\n      benchmarks: $benchmarks\n      measures: $measures\n      branches: $branches\n      testbeds: $testbeds\n      from: $from\n      to: $to\n      resolution: $resolution\n    ) {\n      total\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n      benchmark {\n        ...NamedBenchmark\n      }\n      measure {\n        ...NamedMeasure\n      }\n      points {\n        time\n        value\n        lowerLimit\n        upperLimit\n        alert {\n          id\n          side\n          status\n        }\n      }\n    }\n  }\n": types.ConsolePerfDocument,
    "\n  mutation ConsoleUpdateAlert($id: UUID!, $status: AlertStatus!) {\n    updateAlert(id: $id, status: $status) {\n      ...ConsoleAlert\n    }\n  }\n": types.ConsoleUpdateAlertDocument,
    "\n  subscription ConsoleProjectJobs($project: String!) {\n    projectJobs(project: $project) {\n      ...ConsoleJob\n    }\n  }\n": types.ConsoleProjectJobsDocument,
    "\n  subscription ConsoleJobStatus($jobId: UUID!) {\n    jobStatus(jobId: $jobId) {\n      ...ConsoleJob\n    }\n  }\n": types.ConsoleJobStatusDocument,
    "\n  subscription ConsoleJobLogs($jobId: UUID!, $afterSeq: Int) {\n    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {\n      seq\n      stream\n      text\n    }\n  }\n": types.ConsoleJobLogsDocument,
    "\n  query ConsoleJobReport($id: UUID!) {\n    report(id: $id) {\n      id\n      hash\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n    }\n  }\n": types.ConsoleJobReportDocument,
    "\n  query ConsoleJobs($project: String!, $status: JobStatus, $first: Int) {\n    jobs(project: $project, status: $status, first: $first) {\n      edges {\n        node {\n          ...ConsoleJob\n        }\n      }\n    }\n  }\n": types.ConsoleJobsDocument,
    "\n  query ConsoleJob($id: UUID!) {\n    job(id: $id) {\n      ...ConsoleJob\n    }\n  }\n": types.ConsoleJobDocument,
    "\n  mutation ConsoleCancelJob($id: UUID!) {\n    cancelJob(id: $id) {\n      ...ConsoleJob\n    }\n  }\n": types.ConsoleCancelJobDocument,
    "\n  query ConsoleJobNoise($id: UUID!) {\n    job(id: $id) {\n      id\n      runner {\n        slug\n        name\n      }\n      noise {\n        ...JobNoise\n      }\n    }\n  }\n": types.ConsoleJobNoiseDocument,
    "\n  query ConsoleRunnerNoise($slug: String!) {\n    runner(slug: $slug) {\n      id\n      name\n      slug\n      lastSeenAt\n      noiseMeasuredAt\n      noise {\n        cvPct\n        stealPct\n        load\n        truncated\n        tuning\n      }\n      noiseHistory(last: 500) {\n        jobId\n        at\n        cvPct\n        stealPct\n        load\n        truncated\n        tuning\n      }\n      preflight {\n        at\n        checks {\n          check\n          level\n          message\n        }\n        tuning {\n          knob\n          status\n          detail\n        }\n      }\n    }\n  }\n": types.ConsoleRunnerNoiseDocument,
    "\n  mutation RunnerClaimJob($specs: [String!], $waitSeconds: Int, $start: Boolean) {\n    claimJob(specs: $specs, waitSeconds: $waitSeconds, start: $start) {\n      job {\n        id\n        status\n        spec {\n          network\n          cpu\n          memory\n          disk\n          processes\n        }\n      }\n      pullToken\n      config {\n        registryUrl\n        repository\n        digest\n        entrypoint\n        cmd\n        env\n        timeoutSeconds\n        filePaths\n        iterations\n        kind\n        rounds\n        arms {\n          name\n          repository\n          digest\n        }\n      }\n    }\n  }\n": types.RunnerClaimJobDocument,
    "\n  mutation RunnerStartJob($jobId: UUID!, $noise: NoiseInput) {\n    startJob(jobId: $jobId, noise: $noise) {\n      id\n      status\n    }\n  }\n": types.RunnerStartJobDocument,
    "\n  mutation RunnerReportPreflight($checks: [PreflightCheckInput!]!, $tuning: [TuningKnobInput!]) {\n    reportPreflight(checks: $checks, tuning: $tuning)\n  }\n": types.RunnerReportPreflightDocument,
    "\n  mutation RunnerAppendJobLogs($jobId: UUID!, $chunks: [LogChunkInput!]!) {\n    appendJobLogs(jobId: $jobId, chunks: $chunks)\n  }\n": types.RunnerAppendJobLogsDocument,
    "\n  mutation RunnerHeartbeatJob($jobId: UUID!, $waitSeconds: Int) {\n    heartbeatJob(jobId: $jobId, waitSeconds: $waitSeconds) {\n      cancel\n    }\n  }\n": types.RunnerHeartbeatJobDocument,
    "\n  mutation RunnerCompleteJob(\n    $jobId: UUID!\n    $exitCode: Int!\n    $outputs: [JobOutputInput!]!\n    $noise: NoiseInput\n  ) {\n    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise) {\n      id\n      status\n    }\n  }\n": types.RunnerCompleteJobDocument,
    "\n  mutation RunnerCompleteJobWithLogs(\n    $jobId: UUID!\n    $chunks: [LogChunkInput!]!\n    $exitCode: Int!\n    $outputs: [JobOutputInput!]!\n    $noise: NoiseInput\n  ) {\n    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise, logs: $chunks) {\n      id\n      status\n    }\n  }\n": types.RunnerCompleteJobWithLogsDocument,
    "\n  mutation RunnerFailJob(\n    $jobId: UUID!\n    $reason: RunnerFailureReason!\n    $message: String\n    $noise: NoiseInput\n  ) {\n    failJob(jobId: $jobId, reason: $reason, message: $message, noise: $noise) {\n      id\n      status\n    }\n  }\n": types.RunnerFailJobDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NamedBranch on Branch {\n    id\n    name\n    slug\n  }\n"): (typeof documents)["\n  fragment NamedBranch on Branch {\n    id\n    name\n    slug\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NamedTestbed on Testbed {\n    id\n    name\n    slug\n  }\n"): (typeof documents)["\n  fragment NamedTestbed on Testbed {\n    id\n    name\n    slug\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NamedBenchmark on Benchmark {\n    id\n    name\n    slug\n  }\n"): (typeof documents)["\n  fragment NamedBenchmark on Benchmark {\n    id\n    name\n    slug\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NamedMeasure on Measure {\n    id\n    name\n    slug\n    units\n  }\n"): (typeof documents)["\n  fragment NamedMeasure on Measure {\n    id\n    name\n    slug\n    units\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PageCursor on PageInfo {\n    hasNextPage\n    endCursor\n  }\n"): (typeof documents)["\n  fragment PageCursor on PageInfo {\n    hasNextPage\n    endCursor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Viewer on User {\n    id\n    name\n    slug\n    isAdmin\n  }\n"): (typeof documents)["\n  fragment Viewer on User {\n    id\n    name\n    slug\n    isAdmin\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProjectSummary on Project {\n    id\n    name\n    slug\n    visibility\n    canWrite\n    createdAt\n  }\n"): (typeof documents)["\n  fragment ProjectSummary on Project {\n    id\n    name\n    slug\n    visibility\n    canWrite\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrganizationSummary on Organization {\n    slug\n    name\n    plan\n    planLevel\n  }\n"): (typeof documents)["\n  fragment OrganizationSummary on Organization {\n    slug\n    name\n    plan\n    planLevel\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobSummary on Job {\n    id\n    status\n    createdAt\n    claimedAt\n    startedAt\n    finishedAt\n    exitCode\n    failureReason\n    failureMessage\n    reportId\n    runner {\n      name\n      slug\n    }\n  }\n"): (typeof documents)["\n  fragment JobSummary on Job {\n    id\n    status\n    createdAt\n    claimedAt\n    startedAt\n    finishedAt\n    exitCode\n    failureReason\n    failureMessage\n    reportId\n    runner {\n      name\n      slug\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobNoise on Noise {\n    cvPct\n    stealPct\n    load\n    involuntaryContextSwitches\n    probeMs\n    truncated\n    tuning\n  }\n"): (typeof documents)["\n  fragment JobNoise on Noise {\n    cvPct\n    stealPct\n    load\n    involuntaryContextSwitches\n    probeMs\n    truncated\n    tuning\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertEvidenceFields on AlertEvidence {\n    test\n    pValue\n    adjustedPValue\n    changePercent\n    lowerPercent\n    upperPercent\n    rounds\n    head\n    base\n    baseDigest\n  }\n"): (typeof documents)["\n  fragment AlertEvidenceFields on AlertEvidence {\n    test\n    pValue\n    adjustedPValue\n    changePercent\n    lowerPercent\n    upperPercent\n    rounds\n    head\n    base\n    baseDigest\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertSummary on Alert {\n    id\n    side\n    status\n    verdict\n    createdAt\n    value\n    limit\n    evidence {\n      ...AlertEvidenceFields\n    }\n    benchmark {\n      ...NamedBenchmark\n    }\n    measure {\n      ...NamedMeasure\n    }\n    branch {\n      ...NamedBranch\n    }\n    testbed {\n      ...NamedTestbed\n    }\n    report {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment AlertSummary on Alert {\n    id\n    side\n    status\n    verdict\n    createdAt\n    value\n    limit\n    evidence {\n      ...AlertEvidenceFields\n    }\n    benchmark {\n      ...NamedBenchmark\n    }\n    measure {\n      ...NamedMeasure\n    }\n    branch {\n      ...NamedBranch\n    }\n    testbed {\n      ...NamedTestbed\n    }\n    report {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment IterationResults on ReportIteration {\n    iteration\n    benchmarks {\n      benchmark {\n        ...NamedBenchmark\n      }\n      measures {\n        measure {\n          ...NamedMeasure\n        }\n        value\n        lowerValue\n        upperValue\n        baseline\n        lowerLimit\n        upperLimit\n        change\n        alert {\n          id\n          side\n          status\n          verdict\n          evidence {\n            ...AlertEvidenceFields\n          }\n          limit\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment IterationResults on ReportIteration {\n    iteration\n    benchmarks {\n      benchmark {\n        ...NamedBenchmark\n      }\n      measures {\n        measure {\n          ...NamedMeasure\n        }\n        value\n        lowerValue\n        upperValue\n        baseline\n        lowerLimit\n        upperLimit\n        change\n        alert {\n          id\n          side\n          status\n          verdict\n          evidence {\n            ...AlertEvidenceFields\n          }\n          limit\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ResultPage on ReportResultPage {\n    iterations {\n      ...IterationResults\n    }\n    hasNextPage\n    endCursor\n  }\n"): (typeof documents)["\n  fragment ResultPage on ReportResultPage {\n    iterations {\n      ...IterationResults\n    }\n    hasNextPage\n    endCursor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliMe {\n    me {\n      ...Viewer\n      organizations {\n        ...OrganizationSummary\n        myRole\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliMe {\n    me {\n      ...Viewer\n      organizations {\n        ...OrganizationSummary\n        myRole\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliAlerts($project: String!, $status: AlertStatus, $first: Int, $after: String) {\n    alerts(project: $project, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...AlertSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliAlerts($project: String!, $status: AlertStatus, $first: Int, $after: String) {\n    alerts(project: $project, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...AlertSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliUpdateAlert($id: UUID!, $status: AlertStatus!) {\n    # Only what alert dismiss prints: its JSON form is { id, status }.\n    updateAlert(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CliUpdateAlert($id: UUID!, $status: AlertStatus!) {\n    # Only what alert dismiss prints: its JSON form is { id, status }.\n    updateAlert(id: $id, status: $status) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogChunkBytes on JobLogChunk {\n    seq\n    stream\n    # The bytes in base64: text turns a character split between two chunks into U+FFFD.\n    data\n  }\n"): (typeof documents)["\n  fragment LogChunkBytes on JobLogChunk {\n    seq\n    stream\n    # The bytes in base64: text turns a character split between two chunks into U+FFFD.\n    data\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CliJobStatus($jobId: UUID!) {\n    jobStatus(jobId: $jobId) {\n      ...JobSummary\n    }\n  }\n"): (typeof documents)["\n  subscription CliJobStatus($jobId: UUID!) {\n    jobStatus(jobId: $jobId) {\n      ...JobSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CliJobLogs($jobId: UUID!, $afterSeq: Int) {\n    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {\n      ...LogChunkBytes\n    }\n  }\n"): (typeof documents)["\n  subscription CliJobLogs($jobId: UUID!, $afterSeq: Int) {\n    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {\n      ...LogChunkBytes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliJob($id: UUID!) {\n    job(id: $id) {\n      ...JobSummary\n      priority\n      project {\n        slug\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliJob($id: UUID!) {\n    job(id: $id) {\n      ...JobSummary\n      priority\n      project {\n        slug\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliJobs($project: String!, $status: JobStatus, $first: Int, $after: String) {\n    jobs(project: $project, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...JobSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliJobs($project: String!, $status: JobStatus, $first: Int, $after: String) {\n    jobs(project: $project, status: $status, first: $first, after: $after) {\n      edges {\n        node {\n          ...JobSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCancelJob($id: UUID!) {\n    cancelJob(id: $id) {\n      ...JobSummary\n    }\n  }\n"): (typeof documents)["\n  mutation CliCancelJob($id: UUID!) {\n    cancelJob(id: $id) {\n      ...JobSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliJobLogChunks($jobId: UUID!, $afterSeq: Int, $first: Int) {\n    jobLogChunks(jobId: $jobId, afterSeq: $afterSeq, first: $first) {\n      ...LogChunkBytes\n    }\n  }\n"): (typeof documents)["\n  query CliJobLogChunks($jobId: UUID!, $afterSeq: Int, $first: Int) {\n    jobLogChunks(jobId: $jobId, afterSeq: $afterSeq, first: $first) {\n      ...LogChunkBytes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliOrganizations($first: Int, $after: String) {\n    organizations(first: $first, after: $after) {\n      edges {\n        node {\n          ...OrganizationSummary\n          myRole\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliOrganizations($first: Int, $after: String) {\n    organizations(first: $first, after: $after) {\n      edges {\n        node {\n          ...OrganizationSummary\n          myRole\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateOrganization($name: String!, $slug: String) {\n    createOrganization(name: $name, slug: $slug) {\n      ...OrganizationSummary\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateOrganization($name: String!, $slug: String) {\n    createOrganization(name: $name, slug: $slug) {\n      ...OrganizationSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliOrganizationMembers($slug: String!) {\n    organization(slug: $slug) {\n      slug\n      members {\n        user\n        name\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliOrganizationMembers($slug: String!) {\n    organization(slug: $slug) {\n      slug\n      members {\n        user\n        name\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliSetMembership($organization: String!, $user: String!, $role: Role) {\n    setMembership(organization: $organization, user: $user, role: $role)\n  }\n"): (typeof documents)["\n  mutation CliSetMembership($organization: String!, $user: String!, $role: Role) {\n    setMembership(organization: $organization, user: $user, role: $role)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliSetOrganizationPlan($organization: String!, $plan: Plan!, $level: PlanLevel!) {\n    setOrganizationPlan(organization: $organization, plan: $plan, level: $level) {\n      ...OrganizationSummary\n    }\n  }\n"): (typeof documents)["\n  mutation CliSetOrganizationPlan($organization: String!, $plan: Plan!, $level: PlanLevel!) {\n    setOrganizationPlan(organization: $organization, plan: $plan, level: $level) {\n      ...OrganizationSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliTokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          prefix\n          revoked\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliTokens($first: Int, $after: String) {\n    tokens(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          prefix\n          revoked\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateToken($name: String!) {\n    createToken(name: $name) {\n      id\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateToken($name: String!) {\n    createToken(name: $name) {\n      id\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliRevokeToken($id: UUID!) {\n    revokeToken(id: $id)\n  }\n"): (typeof documents)["\n  mutation CliRevokeToken($id: UUID!) {\n    revokeToken(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliProjects($first: Int, $after: String) {\n    projects(first: $first, after: $after) {\n      edges {\n        node {\n          ...ProjectSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliProjects($first: Int, $after: String) {\n    projects(first: $first, after: $after) {\n      edges {\n        node {\n          ...ProjectSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliProject($slug: String!) {\n    project(slug: $slug) {\n      ...ProjectSummary\n      archived\n    }\n  }\n"): (typeof documents)["\n  query CliProject($slug: String!) {\n    project(slug: $slug) {\n      ...ProjectSummary\n      archived\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n      slug\n      visibility\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n      slug\n      visibility\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliBranches($project: String!, $first: Int, $after: String) {\n    branches(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          startPointHash\n          startPoint {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliBranches($project: String!, $first: Int, $after: String) {\n    branches(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          startPointHash\n          startPoint {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateBranch($input: CreateResourceInput!) {\n    createBranch(input: $input) {\n      ...NamedBranch\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateBranch($input: CreateResourceInput!) {\n    createBranch(input: $input) {\n      ...NamedBranch\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliTestbeds($project: String!, $first: Int, $after: String) {\n    testbeds(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          spec {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliTestbeds($project: String!, $first: Int, $after: String) {\n    testbeds(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          spec {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateTestbed($input: CreateResourceInput!) {\n    createTestbed(input: $input) {\n      ...NamedTestbed\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateTestbed($input: CreateResourceInput!) {\n    createTestbed(input: $input) {\n      ...NamedTestbed\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliSpecs($first: Int, $after: String) {\n    specs(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          os\n          architecture\n          cpu\n          memory\n          disk\n          network\n          isDefault\n          archived\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliSpecs($first: Int, $after: String) {\n    specs(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          os\n          architecture\n          cpu\n          memory\n          disk\n          network\n          isDefault\n          archived\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateSpec($input: CreateSpecInput!) {\n    createSpec(input: $input) {\n      id\n      name\n      slug\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateSpec($input: CreateSpecInput!) {\n    createSpec(input: $input) {\n      id\n      name\n      slug\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliUpdateSpec($slug: String!, $input: UpdateSpecInput!) {\n    updateSpec(slug: $slug, input: $input) {\n      id\n      name\n      slug\n      isDefault\n      archived\n    }\n  }\n"): (typeof documents)["\n  mutation CliUpdateSpec($slug: String!, $input: UpdateSpecInput!) {\n    updateSpec(slug: $slug, input: $input) {\n      id\n      name\n      slug\n      isDefault\n      archived\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliRunners($first: Int, $after: String) {\n    runners(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          archived\n          lastSeenAt\n          specs {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliRunners($first: Int, $after: String) {\n    runners(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          slug\n          archived\n          lastSeenAt\n          specs {\n            slug\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateRunner($name: String!, $slug: String, $specs: [String!]!) {\n    createRunner(name: $name, slug: $slug, specs: $specs) {\n      key\n      runner {\n        id\n        name\n        slug\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateRunner($name: String!, $slug: String, $specs: [String!]!) {\n    createRunner(name: $name, slug: $slug, specs: $specs) {\n      key\n      runner {\n        id\n        name\n        slug\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliBenchmarks($project: String!, $first: Int, $after: String, $archived: Boolean) {\n    benchmarks(project: $project, first: $first, after: $after, archived: $archived) {\n      edges {\n        node {\n          id\n          name\n          slug\n          archived\n          createdAt\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliBenchmarks($project: String!, $first: Int, $after: String, $archived: Boolean) {\n    benchmarks(project: $project, first: $first, after: $after, archived: $archived) {\n      edges {\n        node {\n          id\n          name\n          slug\n          archived\n          createdAt\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateBenchmark($input: CreateResourceInput!) {\n    createBenchmark(input: $input) {\n      id\n      name\n      slug\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateBenchmark($input: CreateResourceInput!) {\n    createBenchmark(input: $input) {\n      id\n      name\n      slug\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliMeasures($project: String!, $first: Int, $after: String, $archived: Boolean) {\n    measures(project: $project, first: $first, after: $after, archived: $archived) {\n      edges {\n        node {\n          id\n          name\n          slug\n          units\n          archived\n          createdAt\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliMeasures($project: String!, $first: Int, $after: String, $archived: Boolean) {\n    measures(project: $project, first: $first, after: $after, archived: $archived) {\n      edges {\n        node {\n          id\n          name\n          slug\n          units\n          archived\n          createdAt\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateMeasure($input: CreateResourceInput!) {\n    createMeasure(input: $input) {\n      id\n      name\n      slug\n      units\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateMeasure($input: CreateResourceInput!) {\n    createMeasure(input: $input) {\n      id\n      name\n      slug\n      units\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateRun($input: CreateRunInput!) {\n    createRun(input: $input) {\n      report {\n        id\n      }\n      job {\n        id\n        status\n        slots {\n          tier\n          limit\n          busy\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateRun($input: CreateRunInput!) {\n    createRun(input: $input) {\n      report {\n        id\n      }\n      job {\n        id\n        status\n        slots {\n          tier\n          limit\n          busy\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliRunReport($id: UUID!) {\n    report(id: $id) {\n      id\n      error\n      job {\n        noise {\n          ...JobNoise\n        }\n      }\n      project {\n        slug\n      }\n      confirmation {\n        id\n        status\n        config {\n          rounds\n        }\n      }\n      branch {\n        id\n        slug\n      }\n      testbed {\n        id\n        slug\n      }\n      resultPage(first: 100) {\n        ...ResultPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliRunReport($id: UUID!) {\n    report(id: $id) {\n      id\n      error\n      job {\n        noise {\n          ...JobNoise\n        }\n      }\n      project {\n        slug\n      }\n      confirmation {\n        id\n        status\n        config {\n          rounds\n        }\n      }\n      branch {\n        id\n        slug\n      }\n      testbed {\n        id\n        slug\n      }\n      resultPage(first: 100) {\n        ...ResultPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliRunReportPage($id: UUID!, $after: String!) {\n    report(id: $id) {\n      resultPage(first: 100, after: $after) {\n        ...ResultPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliRunReportPage($id: UUID!, $after: String!) {\n    report(id: $id) {\n      resultPage(first: 100, after: $after) {\n        ...ResultPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliPerf(\n    $project: String!\n    $benchmarks: [String!]!\n    $measures: [String!]\n    $branches: [String!]\n    $testbeds: [String!]\n    $last: Int\n  ) {\n    perf(\n      project: $project\n      benchmarks: $benchmarks\n      measures: $measures\n      branches: $branches\n      testbeds: $testbeds\n      last: $last\n    ) {\n      benchmark {\n        id\n      }\n      measure {\n        id\n      }\n      points {\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliPerf(\n    $project: String!\n    $benchmarks: [String!]!\n    $measures: [String!]\n    $branches: [String!]\n    $testbeds: [String!]\n    $last: Int\n  ) {\n    perf(\n      project: $project\n      benchmarks: $benchmarks\n      measures: $measures\n      branches: $branches\n      testbeds: $testbeds\n      last: $last\n    ) {\n      benchmark {\n        id\n      }\n      measure {\n        id\n      }\n      points {\n        value\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ThresholdFields on Threshold {\n    id\n    branch {\n      slug\n    }\n    testbed {\n      slug\n    }\n    measure {\n      slug\n    }\n    model {\n      test\n      minSampleSize\n      maxSampleSize\n      window\n      lowerBoundary\n      upperBoundary\n    }\n  }\n"): (typeof documents)["\n  fragment ThresholdFields on Threshold {\n    id\n    branch {\n      slug\n    }\n    testbed {\n      slug\n    }\n    measure {\n      slug\n    }\n    model {\n      test\n      minSampleSize\n      maxSampleSize\n      window\n      lowerBoundary\n      upperBoundary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliThresholds($project: String!, $first: Int, $after: String) {\n    thresholds(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          ...ThresholdFields\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliThresholds($project: String!, $first: Int, $after: String) {\n    thresholds(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          ...ThresholdFields\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateThreshold($input: CreateThresholdInput!) {\n    createThreshold(input: $input) {\n      ...ThresholdFields\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateThreshold($input: CreateThresholdInput!) {\n    createThreshold(input: $input) {\n      ...ThresholdFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleMe {\n    me {\n      ...Viewer\n    }\n  }\n"): (typeof documents)["\n  query ConsoleMe {\n    me {\n      ...Viewer\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleProjects($after: String) {\n    projects(first: 100, after: $after) {\n      edges {\n        node {\n          ...ProjectSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleProjects($after: String) {\n    projects(first: 100, after: $after) {\n      edges {\n        node {\n          ...ProjectSummary\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleProject($slug: String!) {\n    project(slug: $slug) {\n      ...ProjectSummary\n    }\n  }\n"): (typeof documents)["\n  query ConsoleProject($slug: String!) {\n    project(slug: $slug) {\n      ...ProjectSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleDimensions($project: String!) {\n    branches(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedBranch\n        }\n      }\n    }\n    testbeds(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedTestbed\n        }\n      }\n    }\n    measures(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedMeasure\n        }\n      }\n    }\n    benchmarks(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedBenchmark\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleDimensions($project: String!) {\n    branches(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedBranch\n        }\n      }\n    }\n    testbeds(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedTestbed\n        }\n      }\n    }\n    measures(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedMeasure\n        }\n      }\n    }\n    benchmarks(project: $project, first: 100) {\n      edges {\n        node {\n          ...NamedBenchmark\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleJob on Job {\n    ...JobSummary\n    processedAt\n    cancelRequested\n    config {\n      repository\n      digest\n    }\n  }\n"): (typeof documents)["\n  fragment ConsoleJob on Job {\n    ...JobSummary\n    processedAt\n    cancelRequested\n    config {\n      repository\n      digest\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleAlert on Alert {\n    ...AlertSummary\n    active\n    confirmationJob {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  fragment ConsoleAlert on Alert {\n    ...AlertSummary\n    active\n    confirmationJob {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleReports($project: String!, $first: Int, $after: String) {\n    reports(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          startTime\n          hash\n          adapter\n          branch {\n            ...NamedBranch\n          }\n          testbed {\n            ...NamedTestbed\n          }\n          job {\n            id\n            status\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleReports($project: String!, $first: Int, $after: String) {\n    reports(project: $project, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          createdAt\n          startTime\n          hash\n          adapter\n          branch {\n            ...NamedBranch\n          }\n          testbed {\n            ...NamedTestbed\n          }\n          job {\n            id\n            status\n          }\n        }\n      }\n      pageInfo {\n        ...PageCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleReport($id: UUID!) {\n    report(id: $id) {\n      id\n      createdAt\n      startTime\n      endTime\n      hash\n      adapter\n      error\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n      job {\n        id\n        status\n        failureReason\n        failureMessage\n      }\n      confirmation {\n        id\n        status\n      }\n      resultPage(first: 100) {\n        ...ResultPage\n      }\n      alerts {\n        ...ConsoleAlert\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleReport($id: UUID!) {\n    report(id: $id) {\n      id\n      createdAt\n      startTime\n      endTime\n      hash\n      adapter\n      error\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n      job {\n        id\n        status\n        failureReason\n        failureMessage\n      }\n      confirmation {\n        id\n        status\n      }\n      resultPage(first: 100) {\n        ...ResultPage\n      }\n      alerts {\n        ...ConsoleAlert\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleReportPage($id: UUID!, $after: String!) {\n    report(id: $id) {\n      id\n      resultPage(first: 100, after: $after) {\n        ...ResultPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleReportPage($id: UUID!, $after: String!) {\n    report(id: $id) {\n      id\n      resultPage(first: 100, after: $after) {\n        ...ResultPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleAlerts($project: String!, $status: AlertStatus, $first: Int) {\n    alerts(project: $project, status: $status, first: $first) {\n      edges {\n        node {\n          ...ConsoleAlert\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleAlerts($project: String!, $status: AlertStatus, $first: Int) {\n    alerts(project: $project, status: $status, first: $first) {\n      edges {\n        node {\n          ...ConsoleAlert\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePerf(\n    $project: String!\n    $benchmarks: [String!]!\n    $measures: [String!]\n    $branches: [String!]\n    $testbeds: [String!]\n    $from: DateTime\n    $to: DateTime\n    $resolution: Int\n  ) {\n    perf(\n      project: $project\n      benchmarks: $benchmarks\n      measures: $measures\n      branches: $branches\n      testbeds: $testbeds\n      from: $from\n      to: $to\n      resolution: $resolution\n    ) {\n      total\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n      benchmark {\n        ...NamedBenchmark\n      }\n      measure {\n        ...NamedMeasure\n      }\n      points {\n        time\n        value\n        lowerLimit\n        upperLimit\n        alert {\n          id\n          side\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsolePerf(\n    $project: String!\n    $benchmarks: [String!]!\n    $measures: [String!]\n    $branches: [String!]\n    $testbeds: [String!]\n    $from: DateTime\n    $to: DateTime\n    $resolution: Int\n  ) {\n    perf(\n      project: $project\n      benchmarks: $benchmarks\n      measures: $measures\n      branches: $branches\n      testbeds: $testbeds\n      from: $from\n      to: $to\n      resolution: $resolution\n    ) {\n      total\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n      benchmark {\n        ...NamedBenchmark\n      }\n      measure {\n        ...NamedMeasure\n      }\n      points {\n        time\n        value\n        lowerLimit\n        upperLimit\n        alert {\n          id\n          side\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateAlert($id: UUID!, $status: AlertStatus!) {\n    updateAlert(id: $id, status: $status) {\n      ...ConsoleAlert\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpdateAlert($id: UUID!, $status: AlertStatus!) {\n    updateAlert(id: $id, status: $status) {\n      ...ConsoleAlert\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleProjectJobs($project: String!) {\n    projectJobs(project: $project) {\n      ...ConsoleJob\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleProjectJobs($project: String!) {\n    projectJobs(project: $project) {\n      ...ConsoleJob\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleJobStatus($jobId: UUID!) {\n    jobStatus(jobId: $jobId) {\n      ...ConsoleJob\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleJobStatus($jobId: UUID!) {\n    jobStatus(jobId: $jobId) {\n      ...ConsoleJob\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleJobLogs($jobId: UUID!, $afterSeq: Int) {\n    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {\n      seq\n      stream\n      text\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleJobLogs($jobId: UUID!, $afterSeq: Int) {\n    jobLogs(jobId: $jobId, afterSeq: $afterSeq) {\n      seq\n      stream\n      text\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleJobReport($id: UUID!) {\n    report(id: $id) {\n      id\n      hash\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleJobReport($id: UUID!) {\n    report(id: $id) {\n      id\n      hash\n      branch {\n        ...NamedBranch\n      }\n      testbed {\n        ...NamedTestbed\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleJobs($project: String!, $status: JobStatus, $first: Int) {\n    jobs(project: $project, status: $status, first: $first) {\n      edges {\n        node {\n          ...ConsoleJob\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleJobs($project: String!, $status: JobStatus, $first: Int) {\n    jobs(project: $project, status: $status, first: $first) {\n      edges {\n        node {\n          ...ConsoleJob\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleJob($id: UUID!) {\n    job(id: $id) {\n      ...ConsoleJob\n    }\n  }\n"): (typeof documents)["\n  query ConsoleJob($id: UUID!) {\n    job(id: $id) {\n      ...ConsoleJob\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCancelJob($id: UUID!) {\n    cancelJob(id: $id) {\n      ...ConsoleJob\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCancelJob($id: UUID!) {\n    cancelJob(id: $id) {\n      ...ConsoleJob\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleJobNoise($id: UUID!) {\n    job(id: $id) {\n      id\n      runner {\n        slug\n        name\n      }\n      noise {\n        ...JobNoise\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleJobNoise($id: UUID!) {\n    job(id: $id) {\n      id\n      runner {\n        slug\n        name\n      }\n      noise {\n        ...JobNoise\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleRunnerNoise($slug: String!) {\n    runner(slug: $slug) {\n      id\n      name\n      slug\n      lastSeenAt\n      noiseMeasuredAt\n      noise {\n        cvPct\n        stealPct\n        load\n        truncated\n        tuning\n      }\n      noiseHistory(last: 500) {\n        jobId\n        at\n        cvPct\n        stealPct\n        load\n        truncated\n        tuning\n      }\n      preflight {\n        at\n        checks {\n          check\n          level\n          message\n        }\n        tuning {\n          knob\n          status\n          detail\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleRunnerNoise($slug: String!) {\n    runner(slug: $slug) {\n      id\n      name\n      slug\n      lastSeenAt\n      noiseMeasuredAt\n      noise {\n        cvPct\n        stealPct\n        load\n        truncated\n        tuning\n      }\n      noiseHistory(last: 500) {\n        jobId\n        at\n        cvPct\n        stealPct\n        load\n        truncated\n        tuning\n      }\n      preflight {\n        at\n        checks {\n          check\n          level\n          message\n        }\n        tuning {\n          knob\n          status\n          detail\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunnerClaimJob($specs: [String!], $waitSeconds: Int, $start: Boolean) {\n    claimJob(specs: $specs, waitSeconds: $waitSeconds, start: $start) {\n      job {\n        id\n        status\n        spec {\n          network\n          cpu\n          memory\n          disk\n          processes\n        }\n      }\n      pullToken\n      config {\n        registryUrl\n        repository\n        digest\n        entrypoint\n        cmd\n        env\n        timeoutSeconds\n        filePaths\n        iterations\n        kind\n        rounds\n        arms {\n          name\n          repository\n          digest\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RunnerClaimJob($specs: [String!], $waitSeconds: Int, $start: Boolean) {\n    claimJob(specs: $specs, waitSeconds: $waitSeconds, start: $start) {\n      job {\n        id\n        status\n        spec {\n          network\n          cpu\n          memory\n          disk\n          processes\n        }\n      }\n      pullToken\n      config {\n        registryUrl\n        repository\n        digest\n        entrypoint\n        cmd\n        env\n        timeoutSeconds\n        filePaths\n        iterations\n        kind\n        rounds\n        arms {\n          name\n          repository\n          digest\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunnerStartJob($jobId: UUID!, $noise: NoiseInput) {\n    startJob(jobId: $jobId, noise: $noise) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RunnerStartJob($jobId: UUID!, $noise: NoiseInput) {\n    startJob(jobId: $jobId, noise: $noise) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunnerReportPreflight($checks: [PreflightCheckInput!]!, $tuning: [TuningKnobInput!]) {\n    reportPreflight(checks: $checks, tuning: $tuning)\n  }\n"): (typeof documents)["\n  mutation RunnerReportPreflight($checks: [PreflightCheckInput!]!, $tuning: [TuningKnobInput!]) {\n    reportPreflight(checks: $checks, tuning: $tuning)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunnerAppendJobLogs($jobId: UUID!, $chunks: [LogChunkInput!]!) {\n    appendJobLogs(jobId: $jobId, chunks: $chunks)\n  }\n"): (typeof documents)["\n  mutation RunnerAppendJobLogs($jobId: UUID!, $chunks: [LogChunkInput!]!) {\n    appendJobLogs(jobId: $jobId, chunks: $chunks)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunnerHeartbeatJob($jobId: UUID!, $waitSeconds: Int) {\n    heartbeatJob(jobId: $jobId, waitSeconds: $waitSeconds) {\n      cancel\n    }\n  }\n"): (typeof documents)["\n  mutation RunnerHeartbeatJob($jobId: UUID!, $waitSeconds: Int) {\n    heartbeatJob(jobId: $jobId, waitSeconds: $waitSeconds) {\n      cancel\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunnerCompleteJob(\n    $jobId: UUID!\n    $exitCode: Int!\n    $outputs: [JobOutputInput!]!\n    $noise: NoiseInput\n  ) {\n    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RunnerCompleteJob(\n    $jobId: UUID!\n    $exitCode: Int!\n    $outputs: [JobOutputInput!]!\n    $noise: NoiseInput\n  ) {\n    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunnerCompleteJobWithLogs(\n    $jobId: UUID!\n    $chunks: [LogChunkInput!]!\n    $exitCode: Int!\n    $outputs: [JobOutputInput!]!\n    $noise: NoiseInput\n  ) {\n    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise, logs: $chunks) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RunnerCompleteJobWithLogs(\n    $jobId: UUID!\n    $chunks: [LogChunkInput!]!\n    $exitCode: Int!\n    $outputs: [JobOutputInput!]!\n    $noise: NoiseInput\n  ) {\n    completeJob(jobId: $jobId, exitCode: $exitCode, outputs: $outputs, noise: $noise, logs: $chunks) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunnerFailJob(\n    $jobId: UUID!\n    $reason: RunnerFailureReason!\n    $message: String\n    $noise: NoiseInput\n  ) {\n    failJob(jobId: $jobId, reason: $reason, message: $message, noise: $noise) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RunnerFailJob(\n    $jobId: UUID!\n    $reason: RunnerFailureReason!\n    $message: String\n    $noise: NoiseInput\n  ) {\n    failJob(jobId: $jobId, reason: $reason, message: $message, noise: $noise) {\n      id\n      status\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;