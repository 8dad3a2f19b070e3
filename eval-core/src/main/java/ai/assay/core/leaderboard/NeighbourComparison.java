package ai.assay.core.leaderboard;

import ai.assay.reference.statistics.PairedDifference;

/**
 * The paired test between a leaderboard row and the row below it on the sort column.
 *
 * @param difference this row minus the next on their shared examples, or null when no test could be run
 * @param holmPValue the p-value after Holm's correction over all neighbour tests of the leaderboard
 * @param separated whether the Holm-corrected p-value is below 0.05
 * @param unavailable why there is no test, or null
 */
public record NeighbourComparison(
        PairedDifference difference, Double holmPValue, boolean separated, String unavailable) {}
