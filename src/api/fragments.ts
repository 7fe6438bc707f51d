import { graphql } from '../gql/index.js';

// Selections the CLI and the console both send, written once: a field added here reaches both
// (codegen finds these by the `graphql` name; a document uses one by spreading its name).

/** A report's results: per iteration, per benchmark, each measure's value, limits and alert. */
export const ReportResultsFragment = graphql(`
  fragment ReportResults on Report {
    results {
      iteration
      benchmarks {
        benchmark {
          id
          name
          slug
        }
        measures {
          measure {
            id
            name
            slug
            units
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
            limit
          }
        }
      }
    }
  }
`);
