/**
 * Comparison endpoints: paired statistics between two evaluations.
 * <p>Never: the statistics (eval-reference) or their SQL (eval-core's {@code leaderboard}).
 */
package ai.assay.api.comparison;
