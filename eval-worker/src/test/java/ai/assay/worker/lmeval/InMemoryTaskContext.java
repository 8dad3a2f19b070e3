package ai.assay.worker.lmeval;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.TaskPhase;
import ai.assay.core.results.NewGeneration;
import ai.assay.core.results.NewJudgment;
import ai.assay.core.results.NewSampleScore;
import ai.assay.core.results.StoredGeneration;
import ai.assay.core.results.StoredJudgment;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.task.JobStoppedException;
import ai.assay.worker.task.ProgressReporter;
import ai.assay.worker.task.TaskContext;
import ai.assay.worker.task.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task context over in-memory storage that round-trips records through JSON text as the database does. It can
 * stop the job after a given number of stop checks, like a cancel arriving mid-run.
 */
final class InMemoryTaskContext implements TaskContext {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    final String task;
    final ObjectNode options;
    final LanguageModel model;
    final Store store;
    final Progress progress = new Progress();
    int stopAfterChecks = Integer.MAX_VALUE;
    int checks;

    InMemoryTaskContext(String task, String options, LanguageModel model, Store store) {
        this.task = task;
        this.options = (ObjectNode) MAPPER.readTree(options);
        this.model = model;
        this.store = store;
    }

    @Override
    public UUID evaluationId() {
        return UUID.fromString("00000000-0000-0000-0000-000000000001");
    }

    @Override
    public String taskName() {
        return task;
    }

    @Override
    public ObjectNode options() {
        return options;
    }

    @Override
    public ModelRef modelRef() {
        return new ModelRef("scripted", "file:///models/scripted", null, null);
    }

    @Override
    public LanguageModel model() {
        return model;
    }

    @Override
    public ProgressReporter progress() {
        return progress;
    }

    @Override
    public TaskStore store() {
        return store;
    }

    @Override
    public boolean stopRequested() {
        return checks >= stopAfterChecks;
    }

    @Override
    public void checkStop() {
        if (++checks > stopAfterChecks) {
            throw new JobStoppedException("cancelled");
        }
    }

    static final class Progress implements ProgressReporter {
        final List<String> phases = new ArrayList<>();
        int advanced;
        long promptTokens;

        @Override
        public void phase(TaskPhase phase, Integer total, int alreadyDone) {
            phases.add(phase.value() + ":" + total + ":" + alreadyDone);
        }

        @Override
        public void advance(int examples) {
            advanced += examples;
        }

        @Override
        public void tokens(int promptTokens, int generatedTokens) {
            this.promptTokens += promptTokens;
        }
    }

    static final class Store implements TaskStore {
        final Map<Integer, StoredSampleScore> samples = new TreeMap<>();
        List<MetricValue> metrics = List.of();
        JsonNode result;
        int attempt = 1;

        @Override
        public Map<String, StoredGeneration> generations() {
            return Map.of();
        }

        @Override
        public void saveGenerations(List<NewGeneration> generations) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, StoredJudgment> judgments(String annotator) {
            return Map.of();
        }

        @Override
        public void saveJudgments(List<NewJudgment> judgments) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<Integer, StoredSampleScore> sampleScores() {
            return new TreeMap<>(samples);
        }

        @Override
        public void saveSampleScores(List<NewSampleScore> scores) {
            for (NewSampleScore score : scores) {
                samples.putIfAbsent(
                        score.docId(),
                        new StoredSampleScore(
                                score.docId(),
                                MAPPER.readTree(MAPPER.writeValueAsString(score.record())),
                                MAPPER.readTree(MAPPER.writeValueAsString(score.scores())),
                                attempt));
            }
        }

        @Override
        public void saveMetrics(List<MetricValue> metrics) {
            this.metrics = List.copyOf(metrics);
        }

        @Override
        public void saveResult(JsonNode result) {
            this.result = result;
        }
    }
}
