package ai.assay.reference.lmeval;

import java.util.List;
import java.util.Map;

/**
 * A leaf task's lm-eval configuration (its YAML after {@code include}s), in lm-eval's field names.
 *
 * @param docToText    a template string, a column name, an int, or a {@link FunctionRef}
 * @param docToTarget  the same kinds
 * @param docToChoice  a template string, a column name, a list of strings, or a {@link FunctionRef}
 * @param numFewshot   the YAML's {@code num_fewshot}: null when unset (0 by default, overridable); a value set in
 *                     the YAML to 0 cannot be overridden, as in lm-eval
 * @param sampler      {@code default} (random) or {@code first_n}
 * @param version      {@code metadata.version} as written (1.0 stays a float)
 * @param raw          the merged YAML, for the {@code configs} of exported results
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
        String sampler,
        String genPrefix,
        List<MetricSpec> metrics,
        Object version,
        Map<String, Object> raw) {

    public TaskConfig {
        tags = List.copyOf(tags);
        metrics = List.copyOf(metrics);
    }

    /** The split scored: {@code test_split}, else {@code validation_split}. */
    public String evalSplit() {
        return testSplit != null ? testSplit : validationSplit;
    }

    /** The split few-shot examples come from: the few-shot split, else train, else validation, else test. */
    public String fewshotSourceSplit() {
        if (fewshotSplit != null) {
            return fewshotSplit;
        }
        if (trainingSplit != null) {
            return trainingSplit;
        }
        return validationSplit != null ? validationSplit : testSplit;
    }

    /** Whether the YAML fixes the shot count to 0, so {@code numFewshot} is not an option. */
    public boolean fixedZeroShot() {
        return numFewshot != null && numFewshot == 0;
    }

    public String alias() {
        return taskAlias != null ? taskAlias : task;
    }
}
