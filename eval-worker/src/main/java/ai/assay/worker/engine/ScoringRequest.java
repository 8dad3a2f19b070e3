package ai.assay.worker.engine;

/**
 * One continuation to score after a context, both already tokenized.
 */
public record ScoringRequest(String id, int[] contextTokens, int[] continuationTokens) {}
