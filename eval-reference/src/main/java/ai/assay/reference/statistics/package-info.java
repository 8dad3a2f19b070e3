/**
 * The paired statistics of comparisons and leaderboards: exact McNemar, percentile and mean bootstraps, the
 * paired z approximation, Holm's correction, rank groups and the normal distribution, with the seeded generator the
 * bootstraps resample with.
 * <p>Never: Spring, JDBC, HTTP, or knowledge of evaluations or leaderboards (they live in eval-core's
 * {@code leaderboard} package and call this one).
 */
package ai.assay.reference.statistics;
