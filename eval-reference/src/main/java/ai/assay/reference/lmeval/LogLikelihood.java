package ai.assay.reference.lmeval;

/** The answer to one loglikelihood request: the continuation's summed log-probability and whether it was greedy. */
public record LogLikelihood(double logLikelihood, boolean greedy) {}
