package ai.assay.reference.lmeval.filters;

import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-document metrics of a {@code generate_until} task, as lm-eval computes them: each filter pipeline of the
 * task turns the document's responses into one filtered response, and {@code ConfigurableTask.process_results}
 * scores it against the gold for each metric, the value reported under {@code "<metric>,<filter>"}.
 *
 * <p>The gold as {@code process_results} treats it: a gold whose type differs from the filtered response's is
 * converted to it ({@code type(result)(gold)}, so an int target, from a column holding a number, becomes its
 * {@code str}; a rendered template stays a str, digits too, unless the task has {@code doc_to_choice}); a list of golds (a multiple-target task) scores 1.0 if any matches, with {@code exact_match} called
 * once on the response repeated against every gold. A task whose {@code doc_to_choice} is set maps its gold index
 * to the choice first; that and the task's own {@code process_results} are the caller's, not this class's.
 *
 * @param pipelines the task's filter pipelines ({@link FilterPipeline#listFromYaml})
 * @param metrics   its metrics ({@link GenerationMetric#listFromYaml})
 */
public record GenerateUntilScoring(List<FilterPipeline> pipelines, List<GenerationMetric> metrics) {

    public GenerateUntilScoring {
        pipelines = List.copyOf(pipelines);
        metrics = List.copyOf(metrics);
    }

    /**
     * From a task's raw {@code filter_list} and {@code metric_list}, either {@code null} when the task has none.
     *
     * @throws IllegalArgumentException for a filter or metric that is refused (the message names it)
     */
    public static GenerateUntilScoring fromYaml(
            List<? extends Map<String, ?>> filterList, List<? extends Map<String, ?>> metricList) {
        return fromYaml(filterList, metricList, CustomFilters.NONE);
    }

    /** {@link #fromYaml(List, List)} with the Java implementations of task functions that {@code custom} knows. */
    public static GenerateUntilScoring fromYaml(
            List<? extends Map<String, ?>> filterList,
            List<? extends Map<String, ?>> metricList,
            CustomFilters custom) {
        return new GenerateUntilScoring(
                FilterPipeline.listFromYaml(filterList, custom), GenerationMetric.listFromYaml(metricList));
    }

    /**
     * One document's scores.
     *
     * @param gold      the document's {@code doc_to_target}: a {@link String}, an int ({@link Long}) or a list of
     *                  strings for a multiple-target task
     * @param responses the document's generated texts, one per repeat, already cut at the stop strings
     *                  ({@link GeneratedText#postprocess})
     * @throws IllegalArgumentException when a pipeline leaves something {@code exact_match} cannot compare: a list
     *     (no {@code take_first}) or a value that is not a string
     */
    public GenerationDocScore score(Object gold, List<String> responses) {
        return score(Map.of(), gold, responses);
    }

    /**
     * {@link #score(Object, List)} with the document, which filters that read it need (BBH zero-shot's
     * multiple-choice filter reads the options from its {@code input}).
     *
     * @param doc the document as Python values ({@code Doc.values()})
     */
    public GenerationDocScore score(Map<String, ?> doc, Object gold, List<String> responses) {
        List<FilteredScore> scores = new ArrayList<>();
        for (FilterPipeline pipeline : pipelines) {
            Object result = pipeline.apply(responses, doc);
            if (!(result instanceof String prediction)) {
                throw new IllegalArgumentException("filter %s leaves %s, not one response: exact_match needs a string"
                        .formatted(pipeline.name(), PyValues.repr(result, Object::toString)));
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (GenerationMetric metric : metrics) {
                values.put(metric.metric(), value(metric, prediction, gold));
            }
            scores.add(new FilteredScore(pipeline.name(), prediction, values));
        }
        return new GenerationDocScore(scores);
    }

    private static double value(GenerationMetric metric, String prediction, Object gold) {
        if (gold instanceof List<?> golds) {
            List<String> references = new ArrayList<>();
            for (Object one : golds) {
                if (!(one instanceof String reference)) {
                    // Upstream casts no item of a gold list: re.sub or numpy's == would fail or differ on it.
                    throw new IllegalArgumentException("a list of golds must hold strings, got " + golds);
                }
                references.add(reference);
            }
            double fraction = metric.compute(Collections.nCopies(references.size(), prediction), references);
            return fraction > 0.0 ? 1.0 : 0.0;
        }
        return metric.compute(List.of(prediction), List.of(asString(gold)));
    }

    /** {@code str(gold)}: {@code type(result)(gold)} for a string result ({@code null} is None). */
    private static String asString(Object gold) {
        return gold instanceof String s ? s : PyValues.str(gold);
    }
}
