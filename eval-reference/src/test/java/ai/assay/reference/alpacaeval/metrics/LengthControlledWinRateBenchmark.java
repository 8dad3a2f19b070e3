package ai.assay.reference.alpacaeval.metrics;

import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.AnnotationsJson;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.alpacaeval.data.LengthControlDataReader;
import ai.assay.reference.testing.BenchmarkReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Time to score one model's 805 annotations (win rate and the length-controlled fit with its cross-validation),
 * after warm-up. Not a test: it writes docs/benchmarks/lcwr.md. Run with {@code ./mvnw -B verify -pl eval-core
 * -Dassay.excludedGroups=none -Dgroups=benchmark -Dtest=LengthControlledWinRateBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class LengthControlledWinRateBenchmark {

    private static final String[] MODELS = {"claude-2", "gpt-3.5-turbo-1106", "alpaca-7b", "NullModel"};
    private static final int WARM_UP = 20;
    private static final int RUNS = 50;

    @Test
    void scoresEightHundredFiveRows() throws Exception {
        var data = new LengthControlDataReader().load(AlpacaEvalFixtures.dataDirectory());
        AlpacaEvalMetrics metrics = new AlpacaEvalMetrics(new LengthControlledWinRate(data.gamedBaseline()));
        List<String> lines = new ArrayList<>(List.of(
                "One call of `AlpacaEvalMetrics.score` on a model's 805 annotations: win rate, standard error, the",
                "`length_controlled_v1` fit with 5-fold cross-validation over 10 values of C, and the LC standard error.",
                "%d warm-up calls, then %d timed calls per model, one thread.".formatted(WARM_UP, RUNS),
                "",
                "| model | median ms | p90 ms | max ms |",
                "|---|---:|---:|---:|"));
        for (String model : MODELS) {
            List<HeadToHeadAnnotation> annotations = AnnotationsJson.read(AlpacaEvalFixtures.annotationsJson(model));
            for (int i = 0; i < WARM_UP; i++) {
                metrics.score(annotations);
            }
            long[] nanos = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                metrics.score(annotations);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            lines.add("| %s | %.1f | %.1f | %.1f |"
                    .formatted(model, nanos[RUNS / 2] / 1e6, nanos[RUNS * 9 / 10] / 1e6, nanos[RUNS - 1] / 1e6));
        }
        lines.add("");
        lines.add("Target (issue 5): LCWR for 805 rows in under 200 ms.");
        BenchmarkReport.write("lcwr.md", "AlpacaEval metrics: time to score 805 rows", lines);
    }
}
