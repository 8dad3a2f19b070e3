package ai.assay.api.leaderboard;

import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.leaderboard.LeaderboardTestData;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.alpacaeval.data.LengthControlDataReader;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Real AlpacaEval 2 annotations (eval-core's conformance fixture) and constructed benchmark results, written as the
 * workers write them and ended through the application's end listeners.
 */
public final class LeaderboardFixtures {

    private static Path dataDir;

    private LeaderboardFixtures() {}

    /** Points {@code assay.alpaca-eval.data-dir} at a copy of the fixture's length-control files. */
    public static void lengthControlData(DynamicPropertyRegistry registry) {
        registry.add("assay.alpaca-eval.data-dir", () -> dataDir().toString());
    }

    public static synchronized Path dataDir() {
        if (dataDir == null) {
            try {
                Path dir = Files.createTempDirectory("assay-lc-data");
                for (String file : List.of(
                        LengthControlDataReader.GAMED_BASELINE_FILE,
                        LengthControlDataReader.INSTRUCTION_DIFFICULTY_FILE)) {
                    try (InputStream in = LeaderboardFixtures.class
                            .getClassLoader()
                            .getResourceAsStream("alpacaeval/lc-data/" + file)) {
                        Files.copy(in, dir.resolve(file));
                    }
                }
                dir.toFile().deleteOnExit();
                dataDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataDir;
    }

    public static LeaderboardTestData data(
            JdbcClient jdbc, EvaluationEndings endings, PlatformTransactionManager transactions) {
        TransactionTemplate template = new TransactionTemplate(transactions);
        LengthControlledWinRate lc = new LengthControlledWinRate(new LengthControlDataReader()
                .readGamedBaseline(dataDir().resolve(LengthControlDataReader.GAMED_BASELINE_FILE)));
        return new LeaderboardTestData(
                jdbc,
                lc,
                id -> template.executeWithoutResult(status -> {
                    LeaderboardTestData.markSucceeded(jdbc, id);
                    endings.ended(id);
                }));
    }

    public static List<HeadToHeadAnnotation> annotations(String fixtureModel, String as) {
        return LeaderboardTestData.withPreferences(AlpacaEvalFixtures.annotations(fixtureModel), as, i -> null);
    }

    /** Benchmark tasks with every kind of metric: acc and acc_norm, two gsm8k filters, four ifeval scores. */
    public static Map<String, Map<String, double[]>> benchmarkTasks(double skill, long seed) {
        Random random = new Random(seed);
        Map<String, Map<String, double[]>> tasks = new LinkedHashMap<>();
        tasks.put("arc_easy", Map.of("acc", binary(random, 300, skill), "acc_norm", binary(random, 300, skill + 0.05)));
        Map<String, double[]> gsm8k = new LinkedHashMap<>();
        gsm8k.put("exact_match,strict-match", binary(random, 200, skill - 0.2));
        gsm8k.put("exact_match,flexible-extract", binary(random, 200, skill - 0.1));
        tasks.put("gsm8k", gsm8k);
        Map<String, double[]> ifeval = new LinkedHashMap<>();
        ifeval.put("prompt_level_strict_acc", binary(random, 100, skill - 0.1));
        ifeval.put("inst_level_strict_acc", fraction(random, 100, skill));
        ifeval.put("prompt_level_loose_acc", binary(random, 100, skill));
        ifeval.put("inst_level_loose_acc", fraction(random, 100, skill + 0.05));
        tasks.put("ifeval", ifeval);
        return tasks;
    }

    private static double[] binary(Random random, int n, double p) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextDouble() < p ? 1 : 0;
        }
        return values;
    }

    private static double[] fraction(Random random, int n, double p) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            int right = 0;
            for (int k = 0; k < 3; k++) {
                right += random.nextDouble() < p ? 1 : 0;
            }
            values[i] = right / 3.0;
        }
        return values;
    }

    /** An imported result: metrics only, no per-example data. */
    public static UUID imported(LeaderboardTestData data, String model, Map<String, String> labels) {
        UUID id = data.startEvaluation(model, labels, List.of("arc_easy"));
        long task = data.taskId(id, "arc_easy");
        data.metric(task, "acc", 0.71, 0.01, 300);
        data.metric(task, "acc_norm", 0.73, 0.01, 300);
        data.finishTask(task);
        data.end(id);
        return id;
    }
}
