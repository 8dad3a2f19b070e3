package ai.assay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.ModelBuildRecord;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.task.TaskRegistry;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.reference.lmeval.testing.TestDatasets;
import ai.assay.worker.Jobs;
import ai.assay.worker.WorkerApps;
import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.prompt.TestTokenizers;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every decoder family through the worker's real job path with {@code model.uri} naming a checkpoint directory: the
 * job builds the decoder, scores arc_easy with it and records the build; a second job on the same checkpoint
 * reuses the build under the same key.
 */
class CheckpointJobTests {

    private static final String SCORING = "{\"name\": \"arc_easy\", \"limit\": 4}";

    @TempDir
    Path work;

    private TestDatabase database;

    @BeforeEach
    void setUp() {
        database = TestPostgres.createDatabase().migrate();
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @ParameterizedTest
    @EnumSource(DecoderFamily.class)
    void aJobOnACheckpointBuildsScoresAndRecordsItAndTheNextJobReusesTheBuild(DecoderFamily family) throws Exception {
        Path checkpoint = TinyCheckpoint.of(family)
                .withVocab(TestTokenizers.DEFAULT_VOCAB_SIZE)
                .writeTo(work.resolve("models/run/FINAL"));
        TestTokenizers.writeByteLevelModelFiles(checkpoint);
        Path datasets = TestDatasets.writeTo(Files.createDirectories(work.resolve("datasets")));
        ConfigurableApplicationContext worker = WorkerApps.start(
                database,
                "checkpoint-worker",
                "--assay.engine.device=cpu",
                "--assay.engine.threads=1",
                "--assay.engine.build-cache=" + work.resolve("builds"),
                "--assay.datasets.dir=" + datasets,
                "--assay.models.roots=" + work.resolve("models"));
        try {
            Jobs jobs = new Jobs(worker.getBean(EvaluationRepository.class), worker.getBean(TaskRegistry.class));
            ModelRef model = new ModelRef("run", checkpoint.toUri().toString(), null, null);

            ModelBuildRecord first =
                    succeeded(jobs, jobs.submit(model, SCORING)).modelBuild();
            assertThat(first).isNotNull();
            assertThat(first.reused()).isFalse();
            assertThat(first.dtype()).isEqualTo("fp32");
            assertThat(first.operators()).contains("Gemm", "SimplifiedLayerNormalization");
            assertThat(first.files())
                    .extracting(ModelBuildRecord.CheckpointFile::name)
                    .contains("config.json", "model.safetensors", "tokenizer.json");

            ModelBuildRecord second =
                    succeeded(jobs, jobs.submit(model, SCORING)).modelBuild();
            assertThat(second.reused()).isTrue();
            assertThat(second.cacheKey()).isEqualTo(first.cacheKey());
        } finally {
            worker.close();
        }
    }

    private static Evaluation succeeded(Jobs jobs, UUID id) {
        Evaluation done = jobs.awaitEnd(id, Duration.ofMinutes(2));
        assertThat(done.state()).as(done.toString()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.tasks().get(0).metrics()).as("arc_easy's metrics").isNotEmpty();
        return done;
    }
}
