/** One-sided alternatives: 'greater' = the first sample (or the differences) tends to be larger. */
export type Alternative = 'greater' | 'less';

export interface TestResult {
  /** scipy's statistic: T+ (sum of the positive differences' ranks) or U of the first sample. */
  statistic: number;
  pValue: number;
  /** Whether ranks were tied (or, for the signed-rank test, zeros were dropped): the p-value is then exact conditional on that pattern. */
  ties: boolean;
}

/** Largest inputs the exact tables are built for (well past the 30 rounds a confirmation runs). */
export const MAX_SIGNED_RANK_N = 200;
export const MAX_MANN_WHITNEY_N = 60;
