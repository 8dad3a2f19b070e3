package ai.assay.reference.lmeval.code;

import ai.assay.reference.lmeval.MetricSpec;
import ai.assay.reference.lmeval.TaskConfig;
import ai.assay.reference.lmeval.filters.CustomFilters;
import ai.assay.reference.lmeval.filters.FilterPipeline;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How lm-eval scores a code task's document ({@code ConfigurableTask.process_results} for {@code generate_until}
 * with a {@code !function} metric): each filter pipeline turns the document's responses into its predictions
 * (HumanEval's {@code build_predictions} gives {@code prompt + response} for every repeat; MBPP has no
 * {@code filter_list}, so {@code none} takes the first response), and each metric calls {@code code_eval} with
 * {@code references=[gold]} ({@code doc_to_target}: the tests) and {@code predictions=[result]}:
 * <ul>
 *   <li>{@code utils.pass_at_k} (HumanEval) returns code_eval's dict, reported key by key: {@code pass@1} for
 *       {@code k: [1]}, each {@code pass@k} only where the document has at least {@code k} predictions;
 *   <li>{@code utils.pass_at_1} (MBPP) wraps a single prediction in a list and returns the float {@code pass@1},
 *       reported under the function's name, {@code pass_at_1}.
 * </ul>
 * Every prediction becomes one {@link CheckProgram}, and all of a document's programs go to the
 * {@link ProgramExecutor} in one call. Values are stored under {@code "<metric>,<filter>"} as for other generation
 * tasks and averaged over the documents ({@code aggregation: mean}).
 *
 * @param pipelines the task's filter pipelines
 * @param metrics   its code metrics, in {@code metric_list} order
 */
public record CodeScoring(List<FilterPipeline> pipelines, List<Metric> metrics) {

    /** At most this much of a program's stdout and stderr is kept in its sample's record. */
    public static final int KEPT_OUTPUT = 4096;

    public CodeScoring {
        pipelines = List.copyOf(pipelines);
        metrics = List.copyOf(metrics);
    }

    /**
     * One code metric of the {@code metric_list}.
     *
     * @param name  the metric's {@code __name__}: {@code pass_at_k} or {@code pass_at_1}
     * @param ks    the {@code k} values of {@code pass_at_k} in order; {@code [1]} for {@code pass_at_1}
     * @param keyed whether the values are reported as code_eval's keys ({@code pass@k}) rather than the name
     */
    public record Metric(String name, List<Integer> ks, boolean keyed) {

        public Metric {
            ks = List.copyOf(ks);
        }

        /** {@code metric: !function ...} of a code task; {@code k} as HumanEval's entry gives it. */
        static Metric of(String directory, MetricSpec spec) {
            if (spec.function() == null || !CodeTasks.isMetric(directory, spec.function())) {
                throw new IllegalArgumentException("metric %s of a code task has no Java implementation"
                        .formatted(spec.function() == null ? spec.metric() : spec.function()));
            }
            String key = directory + ":" + spec.function().key();
            if (key.equals(CodeTasks.PASS_AT_1)) {
                if (!spec.kwargs().isEmpty()) {
                    throw new IllegalArgumentException("pass_at_1 got unexpected keyword arguments "
                            + spec.kwargs().keySet() + " (upstream: TypeError)");
                }
                return new Metric(spec.metric(), List.of(1), false);
            }
            Object k = spec.kwargs().get("k");
            if (k == null || spec.kwargs().size() != 1) {
                // utils.pass_at_k asserts k is not None and takes no other keyword
                throw new IllegalArgumentException("pass_at_k needs k and nothing else, got " + spec.kwargs());
            }
            List<Integer> ks = new ArrayList<>();
            for (Object one : k instanceof List<?> list ? list : List.of(k)) {
                if (!(one instanceof Number n) || n.intValue() < 1 || n.doubleValue() != n.intValue()) {
                    throw new IllegalArgumentException("pass_at_k's k must be positive integers, got " + k);
                }
                ks.add(n.intValue());
            }
            return new Metric(spec.metric(), ks, true);
        }
    }

    /**
     * One prediction run: its program, how it ended, code_eval's verdict ({@code passed}, ...) and what the
     * program printed (its stdout without the script's verdict line).
     */
    public record Run(String program, ProgramResult result, String verdict, boolean passed, String printed) {}

    /**
     * One document under one pipeline.
     *
     * @param filter    the pipeline's name
     * @param predicted the pipeline's result: a list of predictions, or one (after {@code take_first})
     * @param runs      one per prediction, in order
     * @param values    each metric's values by result key ({@code "pass@1,create_test"})
     */
    public record Filtered(String filter, Object predicted, List<Run> runs, Map<String, Double> values) {

        public Filtered {
            runs = List.copyOf(runs);
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * The scoring of a code task from its configuration, with the filter functions of its directory
     * ({@link CodeFilters}).
     *
     * @throws IllegalArgumentException when a metric or filter has no Java implementation (named)
     */
    @SuppressWarnings("unchecked")
    public static CodeScoring of(TaskConfig config) {
        CustomFilters custom = CodeFilters.of(config.directory());
        List<FilterPipeline> pipelines = FilterPipeline.listFromYaml(config.filterList(), custom);
        List<Metric> metrics = new ArrayList<>();
        for (MetricSpec spec : config.metrics()) {
            metrics.add(Metric.of(config.directory(), spec));
        }
        return new CodeScoring(pipelines, metrics);
    }

    /** Every result key this scoring reports, in order: {@code "<metric>,<filter>"}. */
    public List<String> resultKeys() {
        List<String> keys = new ArrayList<>();
        for (FilterPipeline pipeline : pipelines) {
            for (Metric metric : metrics) {
                if (metric.keyed()) {
                    metric.ks().forEach(k -> keys.add("pass@" + k + "," + pipeline.name()));
                } else {
                    keys.add(metric.name() + "," + pipeline.name());
                }
            }
        }
        return keys;
    }

    /**
     * One document's scores.
     *
     * @param doc       the document as Python values ({@code Doc.values()}); HumanEval's filter reads its prompt
     * @param gold      its {@code doc_to_target}: the test code
     * @param responses its responses, one per repeat, cut at the stop strings
     * @throws ProgramExecutionUnavailableException when the executor cannot run programs safely
     */
    public List<Filtered> score(Map<String, ?> doc, Object gold, List<String> responses, ProgramExecutor executor) {
        String testCase = gold instanceof String s ? s : PyValues.str(gold);
        List<Filtered> scored = new ArrayList<>();
        for (FilterPipeline pipeline : pipelines) {
            Object result = pipeline.apply(responses, doc);
            List<String> candidates = candidates(result, pipeline.name());
            List<CheckProgram> programs = new ArrayList<>();
            for (String candidate : candidates) {
                programs.add(CheckProgram.of(candidate, testCase));
            }
            List<ProgramResult> results =
                    executor.run(programs.stream().map(CheckProgram::script).toList(), CheckProgram.WALL_LIMIT);
            if (results.size() != programs.size()) {
                throw new IllegalStateException(
                        "the program executor answered %d of %d programs".formatted(results.size(), programs.size()));
            }
            List<Run> runs = new ArrayList<>();
            int passed = 0;
            for (int i = 0; i < programs.size(); i++) {
                CheckProgram program = programs.get(i);
                boolean ok = program.passed(results.get(i));
                passed += ok ? 1 : 0;
                runs.add(new Run(
                        program.program(),
                        results.get(i),
                        program.verdict(results.get(i)),
                        ok,
                        program.printed(results.get(i))));
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (Metric metric : metrics) {
                Map<String, Double> computed = PassAtK.forProblem(candidates.size(), passed, metric.ks());
                if (metric.keyed()) {
                    computed.forEach((key, value) -> values.put(key + "," + pipeline.name(), value));
                } else {
                    values.put(metric.name() + "," + pipeline.name(), computed.get("pass@1"));
                }
            }
            scored.add(new Filtered(pipeline.name(), result, runs, values));
        }
        return scored;
    }

    /**
     * The predictions code_eval gets for one document: a list as it is; one string wrapped in a list, as MBPP's
     * {@code pass_at_1} wraps it (HumanEval's {@code pass_at_k} would iterate a string's characters; its filter
     * always gives a list).
     */
    private static List<String> candidates(Object result, String filter) {
        List<String> candidates = new ArrayList<>();
        if (result instanceof String one) {
            candidates.add(one);
        } else if (result instanceof List<?> list && !list.isEmpty()) {
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    throw new IllegalArgumentException("filter %s leaves %s, not programs"
                            .formatted(filter, PyValues.repr(item, Object::toString)));
                }
                candidates.add(text);
            }
        } else {
            throw new IllegalArgumentException("filter %s leaves no prediction to run".formatted(filter));
        }
        return candidates;
    }

    /** {@code text} cut to {@link #KEPT_OUTPUT} characters. */
    public static String kept(String text) {
        return text.length() <= KEPT_OUTPUT ? text : text.substring(0, KEPT_OUTPUT);
    }
}
