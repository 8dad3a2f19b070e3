package ai.assay.worker.smoke;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.evaluation.TaskPhase;
import ai.assay.core.results.NewSampleScore;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.core.smoke.SmokeTaskCatalog;
import ai.assay.worker.task.TaskContext;
import ai.assay.worker.task.TaskRunner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code smoke} task: no model, just the whole path of a job. Each example waits {@code millisPerExample},
 * scores a fixed value that depends only on its index (so a resumed run ends with the same metric as an
 * uninterrupted one), and is checkpointed as a sample score. {@code failAt} fails the task at that example.
 */
@Component
class SmokeTaskRunner implements TaskRunner {

    private static final int CHECKPOINT_EVERY = 10;
    private static final long CHECKPOINT_MILLIS = 500;

    @Override
    public String taskName() {
        return SmokeTaskCatalog.NAME;
    }

    @Override
    public boolean needsModel(ObjectNode options) {
        return false;
    }

    @Override
    public void run(TaskContext context) throws InterruptedException {
        ObjectNode options = context.options();
        int examples = options.get("examples").intValue();
        long millisPerExample = options.get("millisPerExample").longValue();
        Integer failAt = options.has("failAt") ? options.get("failAt").intValue() : null;

        Map<Integer, StoredSampleScore> done = context.store().sampleScores();
        context.progress().phase(TaskPhase.SCORING, examples, done.size());
        List<NewSampleScore> pending = new ArrayList<>();
        long lastCheckpoint = System.currentTimeMillis();
        for (int i = 0; i < examples; i++) {
            if (done.containsKey(i)) {
                continue;
            }
            waitFor(context, millisPerExample);
            if (failAt != null && failAt == i) {
                checkpoint(context, pending);
                throw new IllegalStateException("smoke example %d failed, as failAt asked".formatted(i));
            }
            pending.add(score(i));
            if (pending.size() >= CHECKPOINT_EVERY
                    || System.currentTimeMillis() - lastCheckpoint >= CHECKPOINT_MILLIS) {
                checkpoint(context, pending);
                lastCheckpoint = System.currentTimeMillis();
            }
        }
        checkpoint(context, pending);

        Collection<StoredSampleScore> all = context.store().sampleScores().values();
        context.store().saveMetrics(List.of(accuracy(all)));
        context.store().saveResult(JsonNodeFactory.instance.objectNode().put("examples", all.size()));
    }

    /** Scores 1 for seven in ten examples, by a fixed rule on the index. */
    static NewSampleScore score(int index) {
        int score = Math.floorMod(index * 7919, 10) < 7 ? 1 : 0;
        ObjectNode record =
                JsonNodeFactory.instance.objectNode().put("doc_id", index).put("input", "smoke example " + index);
        return new NewSampleScore(
                index, record, JsonNodeFactory.instance.objectNode().put("acc", score));
    }

    /** The mean and its standard error (sample standard deviation over √n), as lm-eval reports a mean. */
    static MetricValue accuracy(Collection<StoredSampleScore> scores) {
        int n = scores.size();
        double mean = scores.stream()
                .mapToDouble(s -> s.scores().get("acc").doubleValue())
                .average()
                .orElse(0);
        double stderr = Double.NaN;
        if (n > 1) {
            double squares = scores.stream()
                    .mapToDouble(s -> Math.pow(s.scores().get("acc").doubleValue() - mean, 2))
                    .sum();
            stderr = Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
        }
        return new MetricValue("acc", "none", mean, Double.isNaN(stderr) ? null : stderr, n);
    }

    private static void checkpoint(TaskContext context, List<NewSampleScore> pending) {
        if (!pending.isEmpty()) {
            context.store().saveSampleScores(pending);
            context.progress().advance(pending.size());
            pending.clear();
        }
    }

    /** Waits in short slices, so a stop is noticed within 50 ms. */
    private static void waitFor(TaskContext context, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        context.checkStop();
        for (long left = millis; left > 0; left = end - System.currentTimeMillis()) {
            Thread.sleep(Math.min(left, 50));
            context.checkStop();
        }
    }
}
