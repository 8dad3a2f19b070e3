package ai.assay.reference.lmeval;

import java.util.List;

/**
 * An lm-eval group: its members are task names, tags (every task carrying the tag) or other groups. With
 * {@code aggregate_metric_list} it reports the size-weighted mean of its leaf tasks' metrics.
 */
public record GroupConfig(
        String group, String groupAlias, List<String> members, List<GroupMetric> aggregateMetrics, Object version) {

    public GroupConfig {
        members = List.copyOf(members);
        aggregateMetrics = List.copyOf(aggregateMetrics);
    }

    /** One entry of {@code aggregate_metric_list}. */
    public record GroupMetric(String metric, boolean weightBySize, List<String> filters) {}

    public String alias() {
        return groupAlias != null ? groupAlias : group;
    }
}
