package ai.assay.worker.engine.ort;

/** Per scored position: the target token's log-probability and whether it was the argmax. */
public record TokenScores(float[] logProbs, boolean[] greedy) {
}
