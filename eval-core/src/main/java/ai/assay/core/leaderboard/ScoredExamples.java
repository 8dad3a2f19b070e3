package ai.assay.core.leaderboard;

/**
 * Per-document values of one metric (under one filter) of a benchmark task, by ascending doc id. Arrays are not
 * copied.
 *
 * @param binary whether every value is 0 or 1 (then McNemar's test applies)
 */
public record ScoredExamples(String metric, String filter, int[] docIds, double[] values, boolean binary) {

    public int size() {
        return docIds.length;
    }
}
