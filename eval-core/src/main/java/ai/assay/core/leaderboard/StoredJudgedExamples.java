package ai.assay.core.leaderboard;

/**
 * What {@code leaderboard_judged_examples} holds for one entry: the examples (null when only the replicates were
 * read) and their replicates.
 */
public record StoredJudgedExamples(
        long taskId,
        int exampleCount,
        String exampleSetHash,
        JudgedExamples examples,
        HeadToHeadReplicates replicates) {}
