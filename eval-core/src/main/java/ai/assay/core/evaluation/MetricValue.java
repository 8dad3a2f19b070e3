package ai.assay.core.evaluation;

/**
 * One aggregate metric of a task, in lm-eval's terms: {@code metric} under {@code filter} ("none" when the task
 * has no filters), with its standard error (null when undefined) and the number of examples behind it.
 */
public record MetricValue(String metric, String filter, double value, Double stderr, Integer n) {}
