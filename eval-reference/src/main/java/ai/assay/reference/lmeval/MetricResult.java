package ai.assay.reference.lmeval;

/**
 * An aggregate metric of a task or group, as lm-eval reports it under {@code "<metric>,<filter>"}.
 *
 * @param stderr the standard error, or null where lm-eval writes "N/A" (one document, or a group with such a member)
 * @param n      the number of documents behind it
 */
public record MetricResult(String metric, String filter, double value, Double stderr, int n) {}
