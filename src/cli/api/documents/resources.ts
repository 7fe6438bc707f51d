import { graphql } from '../gql.js';

export const ProjectsQuery = graphql(`
  query CliProjects($first: Int, $after: String) {
    projects(first: $first, after: $after) {
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
  query CliProject($slug: String!) {
    project(slug: $slug) {
      ...ProjectSummary
      archived
    }
  }
`);

export const CreateProjectMutation = graphql(`
  mutation CliCreateProject($input: CreateProjectInput!) {
    createProject(input: $input) {
      id
      name
      slug
      visibility
    }
  }
`);

export const BranchesQuery = graphql(`
  query CliBranches($project: String!, $first: Int, $after: String) {
    branches(project: $project, first: $first, after: $after) {
      edges {
        node {
          id
          name
          slug
          startPointHash
          startPoint {
            slug
          }
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateBranchMutation = graphql(`
  mutation CliCreateBranch($input: CreateResourceInput!) {
    createBranch(input: $input) {
      ...NamedBranch
    }
  }
`);

export const TestbedsQuery = graphql(`
  query CliTestbeds($project: String!, $first: Int, $after: String) {
    testbeds(project: $project, first: $first, after: $after) {
      edges {
        node {
          id
          name
          slug
          spec {
            slug
          }
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateTestbedMutation = graphql(`
  mutation CliCreateTestbed($input: CreateResourceInput!) {
    createTestbed(input: $input) {
      ...NamedTestbed
    }
  }
`);

export const SpecsQuery = graphql(`
  query CliSpecs($first: Int, $after: String) {
    specs(first: $first, after: $after) {
      edges {
        node {
          id
          name
          slug
          os
          architecture
          cpu
          memory
          disk
          network
          isDefault
          archived
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateSpecMutation = graphql(`
  mutation CliCreateSpec($input: CreateSpecInput!) {
    createSpec(input: $input) {
      id
      name
      slug
      isDefault
    }
  }
`);

export const UpdateSpecMutation = graphql(`
  mutation CliUpdateSpec($slug: String!, $input: UpdateSpecInput!) {
    updateSpec(slug: $slug, input: $input) {
      id
      name
      slug
      isDefault
      archived
    }
  }
`);

export const RunnersQuery = graphql(`
  query CliRunners($first: Int, $after: String) {
    runners(first: $first, after: $after) {
      edges {
        node {
          id
          name
          slug
          archived
          lastSeenAt
          specs {
            slug
          }
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateRunnerMutation = graphql(`
  mutation CliCreateRunner($name: String!, $slug: String, $specs: [String!]!) {
    createRunner(name: $name, slug: $slug, specs: $specs) {
      key
      runner {
        id
        name
        slug
      }
    }
  }
`);

export const BenchmarksQuery = graphql(`
  query CliBenchmarks($project: String!, $first: Int, $after: String, $archived: Boolean) {
    benchmarks(project: $project, first: $first, after: $after, archived: $archived) {
      edges {
        node {
          id
          name
          slug
          archived
          createdAt
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateBenchmarkMutation = graphql(`
  mutation CliCreateBenchmark($input: CreateResourceInput!) {
    createBenchmark(input: $input) {
      id
      name
      slug
    }
  }
`);

export const MeasuresQuery = graphql(`
  query CliMeasures($project: String!, $first: Int, $after: String, $archived: Boolean) {
    measures(project: $project, first: $first, after: $after, archived: $archived) {
      edges {
        node {
          id
          name
          slug
          units
          archived
          createdAt
        }
      }
      pageInfo {
        ...PageCursor
      }
    }
  }
`);

export const CreateMeasureMutation = graphql(`
  mutation CliCreateMeasure($input: CreateResourceInput!) {
    createMeasure(input: $input) {
      id
      name
      slug
      units
    }
  }
`);
