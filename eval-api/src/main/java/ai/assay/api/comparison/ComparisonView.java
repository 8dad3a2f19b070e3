package ai.assay.api.comparison;

import ai.assay.core.leaderboard.Comparison;
import ai.assay.reference.statistics.BootstrapScheme;
import ai.assay.reference.statistics.PairedDifference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** {@code GET /comparisons} as JSON. */
public record ComparisonView(Side a, Side b, List<Task> tasks, Examples examples, Statistics statistics) {

    public record Side(String model, UUID evaluationId, Instant finishedAt) {}

    public record Statistics(double confidenceLevel, int resamples, long seed) {}

    public record Task(
            String task,
            boolean judged,
            String annotatorA,
            String annotatorB,
            int sharedExamples,
            int onlyA,
            int onlyB,
            List<Metric> metrics,
            HeadToHead headToHead,
            String unavailable) {}

    /**
     * @param a A's value as reported (on all its examples)
     * @param b B's value as reported
     * @param difference A minus B on the shared examples
     * @param ci the 95% interval of that difference
     */
    public record Metric(
            String metric,
            String filter,
            Double a,
            Double b,
            Double difference,
            List<Double> ci,
            Double pValue,
            String method,
            Integer n,
            Integer resamples,
            String unavailable) {}

    public record HeadToHead(
            int examples,
            int winsA,
            int winsB,
            int ties,
            Double winRate,
            List<Double> ci,
            Double pValue,
            int resamples,
            Double glmPredictedWinRate) {}

    public record Examples(
            String task,
            String metric,
            String filter,
            int page,
            int size,
            long totalItems,
            long totalPages,
            List<Example> items) {}

    public record Example(
            String exampleId, Double difference, String instruction, String reference, ExampleSide a, ExampleSide b) {}

    /**
     * @param value the preference over the reference (judged tasks) or the metric value (benchmark tasks)
     * @param judgment the judge's raw completion, or the lm-eval sample record
     */
    public record ExampleSide(
            Double value, String output, Boolean modelShownFirst, JsonNode judgment, Map<String, Double> scores) {}

    static ComparisonView of(Comparison c, BootstrapScheme scheme) {
        var page = c.examples();
        return new ComparisonView(
                side(c.a()),
                side(c.b()),
                c.tasks().stream().map(ComparisonView::task).toList(),
                new Examples(
                        page.task(),
                        page.metric(),
                        page.filter(),
                        page.page(),
                        page.size(),
                        page.totalItems(),
                        (page.totalItems() + page.size() - 1) / page.size(),
                        page.items().stream().map(ComparisonView::example).toList()),
                new Statistics(PairedDifference.CONFIDENCE_LEVEL, scheme.resamples(), scheme.seed()));
    }

    private static Side side(Comparison.Side side) {
        return new Side(side.modelName(), side.evaluationId(), side.finishedAt());
    }

    private static Task task(Comparison.TaskComparison t) {
        Comparison.HeadToHead h = t.headToHead();
        return new Task(
                t.task(),
                t.judged(),
                t.annotatorA(),
                t.annotatorB(),
                t.sharedExamples(),
                t.onlyA(),
                t.onlyB(),
                t.metrics().stream().map(ComparisonView::metric).toList(),
                h == null
                        ? null
                        : new HeadToHead(
                                h.examples(),
                                h.winsA(),
                                h.winsB(),
                                h.ties(),
                                finite(h.winRate()),
                                interval(h.lower(), h.upper()),
                                finite(h.pValue()),
                                h.resamples(),
                                h.glmPredictedWinRate()),
                t.unavailable());
    }

    private static Metric metric(Comparison.MetricComparison m) {
        PairedDifference d = m.shared();
        if (d == null) {
            return new Metric(
                    m.metric(), m.filter(), m.a(), m.b(), null, null, null, null, null, null, m.unavailable());
        }
        return new Metric(
                m.metric(),
                m.filter(),
                m.a(),
                m.b(),
                finite(d.estimate()),
                interval(d.lower(), d.upper()),
                finite(d.pValue()),
                d.method().slug(),
                d.n(),
                d.resamples(),
                m.unavailable());
    }

    private static Example example(Comparison.ExampleDifference e) {
        return new Example(e.exampleId(), e.difference(), e.instruction(), e.reference(), side(e.a()), side(e.b()));
    }

    private static ExampleSide side(Comparison.ExampleSide s) {
        return s == null ? null : new ExampleSide(s.value(), s.output(), s.modelShownFirst(), s.judgment(), s.scores());
    }

    static List<Double> interval(double lower, double upper) {
        return Double.isFinite(lower) && Double.isFinite(upper) ? List.of(lower, upper) : null;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
