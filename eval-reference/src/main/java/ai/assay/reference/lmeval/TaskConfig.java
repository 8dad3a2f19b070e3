package ai.assay.reference.lmeval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A leaf task's lm-eval configuration (its YAML after {@code include}s), in lm-eval's field names.
 *
 * @param docToText         a template string, a column name, an int, or a {@link FunctionRef}
 * @param docToTarget       the same kinds
 * @param docToChoice       a template string, a column name, a list of strings, or a {@link FunctionRef}
 * @param numFewshot        the YAML's {@code num_fewshot}: null when unset (0 by default, overridable); a value set
 *                          in the YAML to 0 cannot be overridden, as in lm-eval
 * @param fewshotConfig     {@code fewshot_config} with what it inherits from the task, as lm-eval's
 *                          {@code FewshotConfig.from_dict} fills it
 * @param genPrefix         {@code gen_prefix}: a template or a column name, or null
 * @param generationKwargs  {@code generation_kwargs} as lm-eval's {@code TaskConfig.__post_init__} leaves them; the
 *                          defaults for a {@code generate_until} task without them; null for other tasks that do
 *                          not set them
 * @param repeats           {@code repeats}: how many times each request is sent (1 by default)
 * @param filterList        {@code filter_list} as the YAML gives it (each entry {@code name} and {@code filter}, a
 *                          list of {@code function} plus its arguments; a {@code !function} is a {@link FunctionRef}),
 *                          or null when unset (lm-eval then applies one pipeline {@code none} = {@code take_first})
 * @param version           {@code metadata.version} as written (1.0 stays a float)
 * @param raw               the merged YAML, for the {@code configs} of exported results
 */
public record TaskConfig(
        String task,
        String taskAlias,
        List<String> tags,
        String directory,
        String datasetPath,
        String datasetName,
        String outputType,
        String trainingSplit,
        String validationSplit,
        String testSplit,
        String fewshotSplit,
        FunctionRef processDocs,
        Object docToText,
        Object docToTarget,
        Object docToChoice,
        FunctionRef processResults,
        String targetDelimiter,
        String fewshotDelimiter,
        String description,
        Integer numFewshot,
        FewshotConfig fewshotConfig,
        String genPrefix,
        List<MetricSpec> metrics,
        GenerationKwargs generationKwargs,
        int repeats,
        List<Map<String, Object>> filterList,
        Object version,
        Map<String, Object> raw) {

    public static final String MULTIPLE_CHOICE = "multiple_choice";
    public static final String GENERATE_UNTIL = "generate_until";

    public TaskConfig {
        tags = List.copyOf(tags);
        metrics = List.copyOf(metrics);
        filterList = filterList == null ? null : Collections.unmodifiableList(new ArrayList<>(filterList));
    }

    /** The split scored: {@code test_split}, else {@code validation_split}. */
    public String evalSplit() {
        return testSplit != null ? testSplit : validationSplit;
    }

    /**
     * The split few-shot examples come from when they come from a split: {@code fewshot_config.split} (which
     * defaults to {@code fewshot_split}), else train, else validation, else test. Inline samples take the place of
     * the last three ({@link #fewshotFromSamples()}).
     */
    public String fewshotSourceSplit() {
        if (fewshotConfig.split() != null) {
            return fewshotConfig.split();
        }
        if (trainingSplit != null) {
            return trainingSplit;
        }
        return validationSplit != null ? validationSplit : testSplit;
    }

    /**
     * Whether the few-shot pool is {@code fewshot_config.samples} rather than a split: lm-eval's
     * {@code ConfigurableTask.fewshot_docs} takes the samples when no few-shot split is set.
     */
    public boolean fewshotFromSamples() {
        return fewshotConfig.split() == null && fewshotConfig.hasSamples();
    }

    /** Whether the YAML fixes the shot count to 0, so {@code numFewshot} is not an option. */
    public boolean fixedZeroShot() {
        return numFewshot != null && numFewshot == 0;
    }

    /** {@code fewshot_config.sampler}: {@code default} (random) or {@code first_n}. */
    public String sampler() {
        return fewshotConfig.sampler();
    }

    public boolean generative() {
        return GENERATE_UNTIL.equals(outputType);
    }

    public String alias() {
        return taskAlias != null ? taskAlias : task;
    }

    /**
     * {@code fewshot_config}, holding what lm-eval's {@code FewshotConfig.from_dict} gives: each field the
     * YAML's {@code fewshot_config} sets, else the task's own ({@code fewshot_split}, {@code doc_to_*},
     * delimiters, {@code gen_prefix}). The few-shot examples are rendered with these, the evaluated document with
     * the task's.
     *
     * @param sampler          {@code default} (random) or {@code first_n}
     * @param split            the few-shot split, or null
     * @param samples          inline {@code samples} (each a document), or null
     * @param samplesFunction  {@code samples: !function ...}, or null
     * @param docToChoice      for the examples; lm-eval renders an example's choices only when this is set
     */
    public record FewshotConfig(
            String sampler,
            String split,
            List<Map<String, Object>> samples,
            FunctionRef samplesFunction,
            Object docToText,
            Object docToTarget,
            Object docToChoice,
            String genPrefix,
            String fewshotDelimiter,
            String targetDelimiter) {

        public FewshotConfig {
            samples = samples == null ? null : Collections.unmodifiableList(new ArrayList<>(samples));
        }

        /** A task without {@code fewshot_config}: the random sampler and everything from the task. */
        public static FewshotConfig inheriting(
                String fewshotSplit,
                Object docToText,
                Object docToTarget,
                Object docToChoice,
                String genPrefix,
                String fewshotDelimiter,
                String targetDelimiter) {
            return new FewshotConfig(
                    "default",
                    fewshotSplit,
                    null,
                    null,
                    docToText,
                    docToTarget,
                    docToChoice,
                    genPrefix,
                    fewshotDelimiter,
                    targetDelimiter);
        }

        public boolean hasSamples() {
            return samples != null || samplesFunction != null;
        }
    }

    /**
     * {@code generation_kwargs}, as lm-eval's {@code TaskConfig.__post_init__} leaves them and passes them, deep
     * copied, as the second argument of every {@code generate_until} request: the YAML's mapping with
     * {@code temperature} made a float and {@code until} set to {@code [fewshot_delimiter]} when missing; for a
     * generative task without them {@code default_gen_kwargs(fewshot_delimiter)} ({@code temperature 0.0},
     * {@code do_sample False}, {@code max_gen_toks 256}, {@code until [fewshot_delimiter]}). The accessors give the
     * values a model backend generates with, as {@code normalize_gen_kwargs} in {@code lm_eval/models/utils.py}
     * derives them.
     *
     * @param asConfigured the mapping in YAML order, as lm-eval writes it in samples files and {@code configs}
     */
    public record GenerationKwargs(Map<String, Object> asConfigured) {

        /** lm-eval's {@code DEFAULT_MAX_GEN_TOKS}, the HF backend's {@code max_gen_toks} when a task sets none. */
        public static final int DEFAULT_MAX_GEN_TOKS = 256;

        private static final List<String> MAX_TOKEN_ALIASES =
                List.of("max_gen_toks", "max_new_tokens", "max_tokens", "max_completion_tokens");

        public GenerationKwargs {
            asConfigured = Collections.unmodifiableMap(new LinkedHashMap<>(asConfigured));
        }

        /** The YAML's {@code generation_kwargs} after {@code TaskConfig.__post_init__}. */
        public static GenerationKwargs of(Map<String, Object> yaml, String fewshotDelimiter) {
            Map<String, Object> kwargs = new LinkedHashMap<>(yaml);
            if (kwargs.containsKey("temperature")) {
                kwargs.put(
                        "temperature",
                        number("temperature", kwargs.get("temperature")).doubleValue());
            }
            if (!kwargs.containsKey("until")) {
                kwargs.put("until", List.of(fewshotDelimiter));
            }
            GenerationKwargs result = new GenerationKwargs(kwargs);
            result.until();
            result.maxGenToks();
            return result;
        }

        /** {@code default_gen_kwargs(fewshot_delimiter)}: greedy, 256 tokens, until the few-shot delimiter. */
        public static GenerationKwargs defaults(String fewshotDelimiter) {
            Map<String, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("temperature", 0.0);
            kwargs.put("do_sample", false);
            kwargs.put("max_gen_toks", (long) DEFAULT_MAX_GEN_TOKS);
            kwargs.put("until", List.of(fewshotDelimiter));
            return new GenerationKwargs(kwargs);
        }

        /** The stop strings (a single string given as {@code until} is a list of one). */
        public List<String> until() {
            Object until = asConfigured.get("until");
            if (until == null) {
                return List.of();
            }
            if (until instanceof String s) {
                return List.of(s);
            }
            if (until instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                return list.stream().map(String.class::cast).toList();
            }
            throw new IllegalStateException(
                    "generation_kwargs.until must be a string or a list of strings, was " + until);
        }

        /**
         * {@code max_gen_toks}, else {@code max_new_tokens}, {@code max_tokens}, {@code max_completion_tokens} (the
         * aliases {@code normalize_gen_kwargs} accepts, in its priority), else {@link #DEFAULT_MAX_GEN_TOKS}.
         */
        public int maxGenToks() {
            for (String alias : MAX_TOKEN_ALIASES) {
                Object value = asConfigured.get(alias);
                if (value != null) {
                    return Math.toIntExact(number(alias, value).longValue());
                }
            }
            return DEFAULT_MAX_GEN_TOKS;
        }

        /** {@code temperature}: 0.0 when unset, and 0.0 whenever {@code do_sample} is false. */
        public double temperature() {
            return doSample() ? configuredTemperature() : 0.0;
        }

        /** {@code do_sample}: when unset, whether the temperature is above 0. */
        public boolean doSample() {
            Object doSample = asConfigured.get("do_sample");
            if (doSample == null) {
                return configuredTemperature() > 0.0;
            }
            if (doSample instanceof Boolean b) {
                return b;
            }
            throw new IllegalStateException("generation_kwargs.do_sample must be true or false, was " + doSample);
        }

        /** The other keys (such as {@code top_p}), passed to the backend unchanged. */
        public Map<String, Object> extra() {
            Map<String, Object> extra = new LinkedHashMap<>(asConfigured);
            extra.remove("until");
            extra.remove("do_sample");
            extra.remove("temperature");
            MAX_TOKEN_ALIASES.forEach(extra::remove);
            return Collections.unmodifiableMap(extra);
        }

        private double configuredTemperature() {
            Object temperature = asConfigured.get("temperature");
            return temperature == null
                    ? 0.0
                    : number("temperature", temperature).doubleValue();
        }

        private static Number number(String key, Object value) {
            if (value instanceof Number n && !(value instanceof Boolean)) {
                return n;
            }
            throw new IllegalStateException("generation_kwargs.%s must be a number, was %s".formatted(key, value));
        }
    }
}
