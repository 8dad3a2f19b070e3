package ai.assay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.ModelBuildRecord;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.NewEvaluation;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.task.ResolvedTask;
import ai.assay.reference.chat.ChatMessage;
import ai.assay.worker.WorkerIntegrationTest;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelBuild;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.ModelLoader;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.TextTokenizer;
import ai.assay.worker.task.TaskContext;
import ai.assay.worker.task.TaskRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A job whose model the engine built from a checkpoint records that build on its evaluation, through the worker's
 * real job path: the loader here hands out a model that reports a build, as the checkpoint builder's models do.
 */
class ModelBuildRecordingTests extends WorkerIntegrationTest {

    private static final String TASK = "test_uses_model";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final ModelBuild BUILD = new ModelBuild(
            "assay-builder-1",
            "c0ffee",
            false,
            "fp32",
            List.of("MatMul", "SimplifiedLayerNormalization"),
            List.of(
                    new ModelBuild.File("config.json", 640, "1".repeat(64)),
                    new ModelBuild.File("model.safetensors", 4096, "2".repeat(64))));

    /** Set by a test: while the next model loads, another worker takes the job over. */
    private static final AtomicBoolean takeOverDuringNextLoad = new AtomicBoolean();

    @TempDir
    static Path models;

    @DynamicPropertySource
    static void modelRoots(DynamicPropertyRegistry registry) {
        registry.add("assay.models.roots", () -> models.toString());
    }

    @Autowired
    private EvaluationRepository evaluations;

    @Test
    void aJobWhoseModelWasBuiltFromACheckpointRecordsTheBuild() throws Exception {
        UUID id = submit("llama-step-10");

        Evaluation done = jobs.awaitEnd(id, Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.modelBuild()).isEqualTo(RECORDED);
    }

    @Test
    void aWorkerThatLostItsLeaseWhileLoadingRecordsNoBuildAndItsTaskDoesNotFail() throws Exception {
        takeOverDuringNextLoad.set(true);
        // the first attempt's model reports a build; the second's is an ONNX export, so any build shown is stale
        UUID id = submit("export-after-takeover");

        Evaluation done = jobs.awaitEnd(id, Duration.ofSeconds(30));

        assertThat(done.state())
                .as("the job ran again after the reaper requeued it")
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.tasks().get(0).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.tasks().get(0).error()).isNull();
        assertThat(done.modelBuild())
                .as("the build of the worker whose lease was taken over is not recorded")
                .isNull();
        assertThat(jdbc.sql("SELECT attempt_errors::text FROM evaluation WHERE id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .contains("\"attempt\": 1")
                .contains("lease expired");
    }

    private UUID submit(String directory) throws Exception {
        Path checkpoint = Files.createDirectories(models.resolve(directory));
        return evaluations
                .insert(
                        new NewEvaluation(
                                new ModelRef("built", checkpoint.toUri().toString(), null, null),
                                List.of(new ResolvedTask(TASK, MAPPER.createObjectNode())),
                                Map.of(),
                                0,
                                null,
                                3,
                                MAPPER.readTree("{\"tasks\":[{\"name\":\"" + TASK + "\"}]}")),
                        null,
                        null)
                .orElseThrow();
    }

    private static final ModelBuildRecord RECORDED = new ModelBuildRecord(
            "assay-builder-1",
            "c0ffee",
            false,
            "fp32",
            List.of("MatMul", "SimplifiedLayerNormalization"),
            List.of(
                    new ModelBuildRecord.CheckpointFile("config.json", 640, "1".repeat(64)),
                    new ModelBuildRecord.CheckpointFile("model.safetensors", 4096, "2".repeat(64))));

    @TestConfiguration(proxyBeanMethods = false)
    static class BuiltModels {

        @Bean
        @Primary
        ModelLoader builtModelLoader(JdbcClient jdbc) {
            return (directory, template, placement) -> {
                if (takeOverDuringNextLoad.getAndSet(false)) {
                    jdbc.sql("UPDATE evaluation SET lease_owner = 'another-worker' WHERE state = 'running'")
                            .update();
                    return new BuiltModel(Optional.of(BUILD));
                }
                boolean export = directory.getFileName().toString().startsWith("export-");
                return new BuiltModel(export ? Optional.empty() : Optional.of(BUILD));
            };
        }

        @Bean
        TaskRunner usesModelRunner() {
            return new TaskRunner() {
                @Override
                public String taskName() {
                    return TASK;
                }

                @Override
                public boolean needsModel(ObjectNode options) {
                    return true;
                }

                @Override
                public void run(TaskContext context) {
                    context.model();
                }
            };
        }
    }

    /** Reports its build (or none, as an ONNX export) and nothing else: the task here only loads it. */
    private static final class BuiltModel implements LanguageModel {

        private final Optional<ModelBuild> build;

        BuiltModel(Optional<ModelBuild> build) {
            this.build = build;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("optimum", "fp32", "cpu", 128, 100, null, List.of(0), false);
        }

        @Override
        public Optional<ModelBuild> build() {
            return build;
        }

        @Override
        public TextTokenizer tokenizer() {
            throw new UnsupportedOperationException("the task here only loads the model");
        }

        @Override
        public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
            throw new UnsupportedOperationException("the task here only loads the model");
        }

        @Override
        public void generate(List<GenerationRequest> requests, GenerationSink sink) {
            throw new UnsupportedOperationException("the task here only loads the model");
        }

        @Override
        public void loglikelihood(List<ScoringRequest> requests, ScoringSink sink) {
            throw new UnsupportedOperationException("the task here only loads the model");
        }

        @Override
        public void close() {}
    }
}
