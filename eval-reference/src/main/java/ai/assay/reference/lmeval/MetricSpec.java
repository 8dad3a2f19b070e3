package ai.assay.reference.lmeval;

/** One entry of a task's {@code metric_list}. */
public record MetricSpec(String metric, String aggregation, boolean higherIsBetter) {}
