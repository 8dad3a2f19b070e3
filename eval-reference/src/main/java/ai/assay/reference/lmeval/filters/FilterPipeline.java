package ai.assay.reference.lmeval.filters;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of a task's {@code filter_list}: lm-eval's {@code FilterEnsemble}, its steps applied in order to a
 * document's responses, the result stored as {@code filtered_resps[name]} and scored under that name
 * ({@code exact_match,strict-match}).
 *
 * @param name  the entry's {@code name}
 * @param steps its {@code filter} list, built by {@link FilterStep#fromYaml}
 */
public record FilterPipeline(String name, List<FilterStep> steps) {

    /** The name of the pipeline lm-eval gives a task without a {@code filter_list}. */
    public static final String DEFAULT_NAME = "none";

    public FilterPipeline {
        steps = List.copyOf(steps);
    }

    /** What lm-eval builds when a task has no {@code filter_list}: {@code none}, which is {@code take_first}. */
    public static FilterPipeline none() {
        return new FilterPipeline(DEFAULT_NAME, List.of(new FilterStep.TakeFirst()));
    }

    /**
     * One {@code filter_list} entry as the YAML reader gives it: {@code {name: ..., filter: [{function: ...}, ...]}}.
     *
     * @throws IllegalArgumentException for an entry without a name or a filter list, or a step
     *     {@link FilterStep#fromYaml} refuses (the message names the pipeline too)
     */
    public static FilterPipeline fromYaml(Map<String, ?> entry) {
        return fromYaml(entry, CustomFilters.NONE);
    }

    /** {@link #fromYaml(Map)} with the Java implementations of task functions that {@code custom} knows. */
    public static FilterPipeline fromYaml(Map<String, ?> entry, CustomFilters custom) {
        if (!(entry.get("name") instanceof String name)) {
            throw new IllegalArgumentException("a filter_list entry needs a name: " + entry);
        }
        if (!(entry.get("filter") instanceof List<?> functions)) {
            throw new IllegalArgumentException("filter_list entry " + name + " needs a filter list: " + entry);
        }
        List<FilterStep> steps = new ArrayList<>();
        for (Object function : functions) {
            if (!(function instanceof Map<?, ?> step)) {
                throw new IllegalArgumentException(
                        "filter_list entry " + name + ": a step is not a mapping: " + function);
            }
            try {
                steps.add(FilterStep.fromYaml(stringKeys(step), custom));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("filter_list entry " + name + ": " + e.getMessage(), e);
            }
        }
        return new FilterPipeline(name, steps);
    }

    /**
     * Every pipeline of a task, in the {@code filter_list}'s order; {@link #none()} alone when the task has none
     * ({@code null}), as lm-eval's {@code ConfigurableTask} does. An empty {@code filter_list} gives no pipeline at
     * all, so nothing is scored, also as upstream.
     *
     * @throws IllegalArgumentException for an entry {@link #fromYaml} refuses, or two entries of one name (upstream
     *     would keep only the last one's results)
     */
    public static List<FilterPipeline> listFromYaml(List<? extends Map<String, ?>> filterList) {
        return listFromYaml(filterList, CustomFilters.NONE);
    }

    /** {@link #listFromYaml(List)} with the Java implementations of task functions that {@code custom} knows. */
    public static List<FilterPipeline> listFromYaml(List<? extends Map<String, ?>> filterList, CustomFilters custom) {
        if (filterList == null) {
            return List.of(none());
        }
        List<FilterPipeline> pipelines = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Map<String, ?> entry : filterList) {
            FilterPipeline pipeline = fromYaml(entry, custom);
            if (!names.add(pipeline.name())) {
                throw new IllegalArgumentException("filter_list names " + pipeline.name() + " twice");
            }
            pipelines.add(pipeline);
        }
        return List.copyOf(pipelines);
    }

    /**
     * The filtered response of one document: its responses (one per repeat, in order) through every step.
     *
     * @return what the last step left: one response after {@code take_first} (a {@link String}, or a value of a
     *     {@code map}), otherwise a list
     */
    public Object apply(List<String> responses) {
        return apply(responses, Map.of());
    }

    /** {@link #apply(List)} for filters that read the document too (a multiple-choice filter reads its options). */
    public Object apply(List<String> responses, Map<String, ?> doc) {
        Object value = List.copyOf(responses);
        for (FilterStep step : steps) {
            value = step.apply(value, doc);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> stringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("filter step keys must be strings: " + map);
            }
        }
        return (Map<String, ?>) map;
    }
}
