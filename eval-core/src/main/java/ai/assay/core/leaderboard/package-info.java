/**
 * Leaderboards and comparisons: the aggregated metric lines, their store, paired comparisons between results and
 * the neighbour comparisons of a board.
 * <p>Never: the statistics themselves (eval-reference's {@code statistics}), HTTP or page rendering (eval-api).
 */
package ai.assay.core.leaderboard;
