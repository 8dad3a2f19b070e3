package ai.assay.worker.engine;

/**
 * @param logLikelihood the sum of the log-probabilities of the continuation tokens
 * @param greedy        whether every continuation token was the most likely token at its position
 */
public record ScoringResult(String id, double logLikelihood, boolean greedy) {}
