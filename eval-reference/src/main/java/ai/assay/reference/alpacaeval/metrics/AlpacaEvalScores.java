package ai.assay.reference.alpacaeval.metrics;

/**
 * The AlpacaEval 2 leaderboard numbers of one model: the head-to-head win rates, {@code avg_length} and the
 * length-controlled win rate.
 */
public record AlpacaEvalScores(WinRate winRate, int averageLength, LengthControlledResult lengthControlled) {}
