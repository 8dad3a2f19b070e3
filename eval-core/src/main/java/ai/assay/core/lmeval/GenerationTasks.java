package ai.assay.core.lmeval;

import ai.assay.reference.lmeval.Aggregation;
import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.NumberKind;
import ai.assay.reference.lmeval.TaskFunctions;
import ai.assay.reference.lmeval.filters.BbhZeroshotFilters;
import ai.assay.reference.lmeval.filters.FilterPipeline;
import ai.assay.reference.lmeval.filters.FilteredScore;
import ai.assay.reference.lmeval.filters.GenerateUntilAggregation;
import ai.assay.reference.lmeval.filters.GenerateUntilScoring;
import ai.assay.reference.lmeval.filters.GenerationDocScore;
import ai.assay.reference.lmeval.ifeval.IfEvalScore;
import ai.assay.reference.lmeval.ifeval.IfEvalScoring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each {@code generate_until} task of the catalog is scored and aggregated: through its {@code filter_list} and
 * {@code metric_list} as lm-eval reads them ({@link GenerateUntilScoring}, with the filter functions Assay
 * implements), or, for a task whose {@code process_results} is a function Assay implements (IFEval's), through that
 * function. Asked when the catalog loads, so a task file with an unknown filter is refused then, naming it.
 */
public final class GenerationTasks {

    private GenerationTasks() {}

    /** One document scored: each filter's result by name, and its values under results.json's keys. */
    public record ScoredDocument(
            Map<String, Object> filtered, Map<String, Double> scores, Map<String, Object> details) {}

    /** A generation task's scoring. */
    public sealed interface Scorer permits Filtered, IfEval {

        ScoredDocument score(Doc doc, Object gold, List<String> responses);

        /** The task's metrics from its documents' stored values, in document order. */
        List<MetricResult> aggregate(String task, List<Map<String, Double>> scores);
    }

    /**
     * @throws IllegalArgumentException when a filter or metric of the task is refused (the message names it)
     */
    @SuppressWarnings("unchecked")
    public static Scorer scorer(LmEvalTask task) {
        var config = task.config();
        if (config.processResults() != null
                && TaskFunctions.isGenerationResults(config.directory(), config.processResults())) {
            return new IfEval(IfEvalScoring.standard());
        }
        Object metricList = config.raw().get("metric_list");
        return new Filtered(GenerateUntilScoring.fromYaml(
                config.filterList(),
                metricList instanceof List<?> list ? (List<? extends Map<String, ?>>) list : null,
                BbhZeroshotFilters.KNOWN));
    }

    /** Through the task's filters and metrics. */
    public record Filtered(GenerateUntilScoring scoring) implements Scorer {

        @Override
        public ScoredDocument score(Doc doc, Object gold, List<String> responses) {
            GenerationDocScore score = scoring.score(doc.values(), gold, responses);
            Map<String, Object> filtered = new LinkedHashMap<>();
            for (FilteredScore one : score.filters()) {
                filtered.put(one.filter(), one.filteredResponse());
            }
            return new ScoredDocument(filtered, score.byResultKey(), Map.of());
        }

        @Override
        public List<MetricResult> aggregate(String task, List<Map<String, Double>> scores) {
            return GenerateUntilAggregation.task(task, scoring, scores);
        }
    }

    /**
     * IFEval's {@code process_results} on the first response (its only filter is {@code none}, take_first). The
     * instruction-level metrics are lists per document that {@code agg_inst_level_acc} flattens; a document stores
     * them as the two integers the flattened mean needs ({@code <metric>,none:followed} and {@code :count}), which
     * give the same quotient, and its record keeps the lists.
     */
    public record IfEval(IfEvalScoring scoring) implements Scorer {

        private static final String FILTER = FilterPipeline.DEFAULT_NAME;

        @Override
        public ScoredDocument score(Doc doc, Object gold, List<String> responses) {
            IfEvalScore score = scoring.score(doc, responses.get(0));
            Map<String, Double> values = new LinkedHashMap<>();
            values.put(key(IfEvalScore.PROMPT_LEVEL_STRICT), score.promptStrict() ? 1.0 : 0.0);
            instructionLevel(values, IfEvalScore.INSTRUCTION_LEVEL_STRICT, score.instructionsStrict());
            values.put(key(IfEvalScore.PROMPT_LEVEL_LOOSE), score.promptLoose() ? 1.0 : 0.0);
            instructionLevel(values, IfEvalScore.INSTRUCTION_LEVEL_LOOSE, score.instructionsLoose());
            return new ScoredDocument(Map.of(FILTER, responses.get(0)), values, score.metrics());
        }

        @Override
        public List<MetricResult> aggregate(String task, List<Map<String, Double>> scores) {
            List<MetricResult> results = new ArrayList<>();
            for (String metric : List.of(
                    IfEvalScore.PROMPT_LEVEL_STRICT,
                    IfEvalScore.INSTRUCTION_LEVEL_STRICT,
                    IfEvalScore.PROMPT_LEVEL_LOOSE,
                    IfEvalScore.INSTRUCTION_LEVEL_LOOSE)) {
                if (metric.startsWith("prompt_level")) {
                    // bools, which Python's sum adds exactly; the deviations are floats: compensated
                    double[] values = scores.stream()
                            .mapToDouble(s -> value(s, key(metric), task))
                            .toArray();
                    MetricResult mean = Aggregation.mean(metric, values, NumberKind.PYTHON);
                    results.add(new MetricResult(metric, FILTER, mean.value(), mean.stderr(), mean.n()));
                } else {
                    long followed = 0;
                    long count = 0;
                    for (Map<String, Double> s : scores) {
                        followed += (long) value(s, key(metric) + ":followed", task);
                        count += (long) value(s, key(metric) + ":count", task);
                    }
                    // lm-eval has no stderr for a !function aggregation: "N/A"
                    results.add(new MetricResult(metric, FILTER, (double) followed / count, null, scores.size()));
                }
            }
            return results;
        }

        private static void instructionLevel(Map<String, Double> values, String metric, List<Boolean> followed) {
            values.put(key(metric) + ":followed", (double)
                    followed.stream().filter(f -> f).count());
            values.put(key(metric) + ":count", (double) followed.size());
        }

        private static String key(String metric) {
            return metric + "," + FILTER;
        }

        private static double value(Map<String, Double> scores, String key, String task) {
            Double value = scores.get(key);
            if (value == null) {
                throw new IllegalArgumentException("a document of %s has no %s".formatted(task, key));
            }
            return value;
        }
    }
}
