package ai.assay.core.leaderboard;

import ai.assay.reference.statistics.PairedDifference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Two results compared: the metric differences of each task both have, on their shared examples, and one task's
 * per-example differences, largest first.
 */
public record Comparison(Side a, Side b, List<TaskComparison> tasks, ExamplePage examples) {

    public record Side(String modelName, UUID evaluationId, Instant finishedAt) {}

    /**
     * @param unavailable why the task's results cannot be compared (e.g. different judges), or null
     */
    public record TaskComparison(
            String task,
            boolean judged,
            String annotatorA,
            String annotatorB,
            int sharedExamples,
            int onlyA,
            int onlyB,
            List<MetricComparison> metrics,
            HeadToHead headToHead,
            String unavailable) {}

    /**
     * @param a A's reported value (on all its examples)
     * @param b B's reported value
     * @param shared the paired difference on the shared examples, or null ({@code unavailable} says why)
     */
    public record MetricComparison(
            String metric, String filter, Double a, Double b, PairedDifference shared, String unavailable) {}

    /**
     * A against B directly, from their judgments against the same reference output on the same example: A wins an
     * example when its preference over the reference is higher than B's.
     *
     * @param winRate 100 times (wins + ties / 2) / examples
     * @param lower lower end of the 95% paired-bootstrap interval
     * @param upper upper end
     * @param pValue two-sided bootstrap p-value for a win rate of 50
     * @param glmPredictedWinRate AlpacaEval's {@code predict_winrate} from the two length-controlled fits (length term
     *     off), over the same examples; null without both fits
     */
    public record HeadToHead(
            int examples,
            int winsA,
            int winsB,
            int ties,
            double winRate,
            double lower,
            double upper,
            double pValue,
            int resamples,
            Double glmPredictedWinRate) {}

    /** One page of the per-example differences of one task (and one metric for benchmark tasks). */
    public record ExamplePage(
            String task,
            String metric,
            String filter,
            int page,
            int size,
            long totalItems,
            List<ExampleDifference> items) {}

    /**
     * @param difference A minus B: for judged tasks of preference - 1 (how much more the judge preferred A's output
     *     over the reference than B's), for benchmark tasks of the metric; null when one side has no value
     * @param instruction the instruction (judged tasks)
     * @param reference the reference output (judged tasks; A's, when the two differ)
     */
    public record ExampleDifference(
            String exampleId, Double difference, String instruction, String reference, ExampleSide a, ExampleSide b) {}

    /**
     * @param value preference (judged) or metric value (benchmark)
     * @param output the model's output (judged tasks)
     * @param modelShownFirst whether the judge saw the model's output first (judged tasks)
     * @param judgment the judge's raw completion (judged tasks) or the lm-eval sample record (benchmark tasks)
     * @param scores the document's per-metric values (benchmark tasks)
     */
    public record ExampleSide(
            Double value, String output, Boolean modelShownFirst, JsonNode judgment, Map<String, Double> scores) {}
}
