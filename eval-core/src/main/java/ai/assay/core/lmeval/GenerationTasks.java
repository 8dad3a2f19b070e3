package ai.assay.core.lmeval;

import ai.assay.reference.lmeval.Aggregation;
import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.NumberKind;
import ai.assay.reference.lmeval.TaskFunctions;
import ai.assay.reference.lmeval.code.CodeScoring;
import ai.assay.reference.lmeval.code.CodeTasks;
import ai.assay.reference.lmeval.code.ProgramExecutionUnavailableException;
import ai.assay.reference.lmeval.code.ProgramExecutor;
import ai.assay.reference.lmeval.code.ProgramResult;
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

    /**
     * One document scored: each filter's result by name, and its values under results.json's keys; {@code
     * programs}, for a code task, each filter's runs ({@link Code}).
     */
    public record ScoredDocument(
            Map<String, Object> filtered,
            Map<String, Double> scores,
            Map<String, Object> details,
            Map<String, List<Map<String, Object>>> programs) {

        public ScoredDocument(Map<String, Object> filtered, Map<String, Double> scores, Map<String, Object> details) {
            this(filtered, scores, details, Map.of());
        }
    }

    /** A generation task's scoring. */
    public sealed interface Scorer permits Filtered, IfEval, Code {

        ScoredDocument score(Doc doc, Object gold, List<String> responses);

        /** The task's metrics from its documents' stored values, in document order. */
        List<MetricResult> aggregate(String task, List<Map<String, Double>> scores);

        /** Whether scoring runs the responses as programs ({@link Code}). */
        default boolean runsCode() {
            return false;
        }
    }

    /** What a code task scores with where no executor was given: nothing runs, the task fails saying why. */
    public static final ProgramExecutor NO_EXECUTOR = (programs, timeout) -> {
        throw new ProgramExecutionUnavailableException(
                "code execution is not available: this process has no sandbox to run programs in");
    };

    /**
     * @throws IllegalArgumentException when a filter or metric of the task is refused (the message names it)
     */
    public static Scorer scorer(LmEvalTask task) {
        return scorer(task, NO_EXECUTOR);
    }

    /**
     * {@link #scorer(LmEvalTask)}, a code task running its programs through {@code executor}.
     *
     * @throws IllegalArgumentException when a filter or metric of the task is refused (the message names it)
     */
    @SuppressWarnings("unchecked")
    public static Scorer scorer(LmEvalTask task, ProgramExecutor executor) {
        var config = task.config();
        if (CodeTasks.runsCode(config)) {
            return new Code(CodeScoring.of(config), executor);
        }
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
     * A code task (HumanEval, MBPP and their EvalPlus variants) through {@link CodeScoring}: each prediction run as
     * a program by {@code executor}; the document's record keeps, per filter, every program with how it ended.
     * Values are numpy float64, averaged as lm-eval's {@code mean} adds them ({@link NumberKind#NUMPY}).
     */
    public record Code(CodeScoring scoring, ProgramExecutor executor) implements Scorer {

        @Override
        public boolean runsCode() {
            return true;
        }

        @Override
        public ScoredDocument score(Doc doc, Object gold, List<String> responses) {
            Map<String, Object> filtered = new LinkedHashMap<>();
            Map<String, Double> values = new LinkedHashMap<>();
            Map<String, List<Map<String, Object>>> programs = new LinkedHashMap<>();
            for (CodeScoring.Filtered one : scoring.score(doc.values(), gold, responses, executor)) {
                filtered.put(one.filter(), one.predicted());
                values.putAll(one.values());
                List<Map<String, Object>> runs = new ArrayList<>();
                for (CodeScoring.Run run : one.runs()) {
                    runs.add(record(run));
                }
                programs.put(one.filter(), runs);
            }
            return new ScoredDocument(filtered, values, Map.of(), programs);
        }

        /** A program's entry in the record: the program, code_eval's verdict, the outcome and its output, cut. */
        private static Map<String, Object> record(CodeScoring.Run run) {
            ProgramResult result = run.result();
            String printed = run.printed();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("program", run.program());
            entry.put("result", run.verdict());
            entry.put("passed", run.passed());
            entry.put("outcome", result.outcome().name());
            entry.put("exit_code", result.exitCode());
            entry.put("stdout", CodeScoring.kept(printed));
            entry.put("stderr", CodeScoring.kept(result.stderr()));
            entry.put(
                    "truncated",
                    result.truncated()
                            || printed.length() > CodeScoring.KEPT_OUTPUT
                            || result.stderr().length() > CodeScoring.KEPT_OUTPUT);
            return entry;
        }

        @Override
        public List<MetricResult> aggregate(String task, List<Map<String, Double>> scores) {
            List<MetricResult> results = new ArrayList<>();
            for (String key : scoring.resultKeys()) {
                int comma = key.lastIndexOf(',');
                String metric = key.substring(0, comma);
                String filter = key.substring(comma + 1);
                List<Double> values = new ArrayList<>();
                for (Map<String, Double> document : scores) {
                    Double value = document.get(key);
                    if (value != null) {
                        values.add(value);
                    }
                }
                if (values.isEmpty()) {
                    continue; // a pass@k past every document's sample count: code_eval reports none
                }
                if (values.size() != scores.size()) {
                    throw new IllegalArgumentException(
                            "some documents of %s have %s and some do not".formatted(task, key));
                }
                MetricResult mean = Aggregation.mean(
                        metric, values.stream().mapToDouble(Double::doubleValue).toArray(), NumberKind.NUMPY);
                results.add(new MetricResult(metric, filter, mean.value(), mean.stderr(), mean.n()));
            }
            return results;
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
