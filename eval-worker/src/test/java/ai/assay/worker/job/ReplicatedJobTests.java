package ai.assay.worker.job;

import static ai.assay.worker.judge.JudgeStubs.chat;
import static ai.assay.worker.judge.JudgeStubs.logprobAnswer;
import static ai.assay.worker.judge.JudgeStubs.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.task.TaskRegistry;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.lmeval.testing.TestDatasets;
import ai.assay.worker.Jobs;
import ai.assay.worker.WorkerApps;
import ai.assay.worker.engine.prompt.TestTokenizers;
import ai.assay.worker.engine.runtime.ElementType;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job whose model is split over two CPU engines ({@code assay.engine.replicas-per-job=2}) stores the records a
 * job on one engine stores, through the worker's real job path: arc_easy's scored documents in the same order with
 * the same scores (log-likelihoods to the engine's 1e-4 across batch compositions), AlpacaEval's generated answers
 * the same text and token counts by example, and the same metrics.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplicatedJobTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String SCORING = "{\"name\": \"arc_easy\", \"limit\": 6}";
    private static final String GENERATION = "{\"name\": \"alpaca_eval\", \"annotator\": \"test_judge\", \"limit\": 6,"
            + " \"generation\": {\"temperature\": 0, \"maxNewTokens\": 10}}";

    @TempDir
    Path work;

    private TestDatabase database;
    private WireMockServer judge;
    private Path model;
    private Path datasets;

    @BeforeEach
    void setUp() throws Exception {
        database = TestPostgres.createDatabase().migrate();
        model = Files.createDirectories(work.resolve("models/tiny"));
        TestTokenizers.writeByteLevelModelFiles(model);
        // long enough for AlpacaEval's prompts and the generated tokens
        new TinyDecoder(
                        TinyDecoder.Layout.OPTIMUM,
                        TestTokenizers.DEFAULT_VOCAB_SIZE,
                        64,
                        2,
                        4,
                        2,
                        1024,
                        ElementType.FLOAT,
                        5)
                .writeTo(model);
        datasets = TestDatasets.writeTo(Files.createDirectories(work.resolve("datasets")));
        judge = new WireMockServer(options().dynamicPort());
        judge.start();
        judge.stubFor(chat().willReturn(ok(logprobAnswer("m", -0.2, "M", -1.8))));
    }

    @AfterEach
    void tearDown() {
        judge.stop();
        database.close();
    }

    @Test
    void aJobSplitOverTwoEnginesStoresTheRecordsOfAJobOnOne(CapturedOutput output) throws Exception {
        Evaluation alone = evaluate("one-engine", 1);
        Evaluation split = evaluate("two-engines", 2);

        assertThat(output.getAll())
                .as("the second worker loaded the model on two devices")
                .contains("from " + model.toRealPath() + " on [cpu, cpu]");
        for (int t = 0; t < 2; t++) {
            var expected = alone.tasks().get(t);
            var actual = split.tasks().get(t);
            assertThat(actual.state()).as(actual.name()).isEqualTo(RunState.SUCCEEDED);
            assertThat(actual.metrics()).as(actual.name()).hasSameSizeAs(expected.metrics());
            for (int m = 0; m < actual.metrics().size(); m++) {
                assertThat(actual.metrics().get(m).metric())
                        .isEqualTo(expected.metrics().get(m).metric());
                assertThat(actual.metrics().get(m).value())
                        .as(actual.metrics().get(m).metric())
                        .isCloseTo(expected.metrics().get(m).value(), within(1e-9));
            }
        }

        List<Map<String, Object>> expectedScores = samples(alone.tasks().get(0).id());
        List<Map<String, Object>> actualScores = samples(split.tasks().get(0).id());
        assertThat(actualScores)
                .extracting(row -> row.get("doc_id"))
                .as("the scored documents, in order")
                .isEqualTo(expectedScores.stream().map(row -> row.get("doc_id")).toList())
                .hasSize(6);
        for (int i = 0; i < actualScores.size(); i++) {
            for (String column : List.of("record", "scores")) {
                assertSameJson(
                        MAPPER.readTree((String) actualScores.get(i).get(column)),
                        MAPPER.readTree((String) expectedScores.get(i).get(column)),
                        "arc_easy doc " + actualScores.get(i).get("doc_id") + " " + column);
            }
        }

        // what the generation task checkpoints, example by example, less the latency (a timing)
        assertThat(generations(split.tasks().get(1).id()))
                .isEqualTo(generations(alone.tasks().get(1).id()))
                .hasSize(6)
                .allSatisfy(row -> assertThat(row.get("finish_reason")).isNotEqualTo("provided"));
    }

    private Evaluation evaluate(String workerId, int replicas) {
        ConfigurableApplicationContext worker = WorkerApps.start(
                database,
                workerId,
                "--assay.engine.device=cpu",
                "--assay.engine.threads=1",
                "--assay.engine.replicas-per-job=" + replicas,
                "--assay.datasets.dir=" + datasets,
                "--assay.alpaca-eval.data-dir=" + AlpacaEvalFixtures.dataDirectory(),
                "--assay.judge.base-url=http://127.0.0.1:" + judge.port() + "/v1",
                "--assay.judge.api-key=test-judge-key",
                "--assay.judge.offline=true",
                "--assay.judge.annotators-dir=src/test/resources/judge/evaluators_configs",
                "--assay.outbound.allow=127.0.0.0/8",
                "--assay.models.roots=" + work.resolve("models"));
        try {
            Jobs jobs = new Jobs(worker.getBean(EvaluationRepository.class), worker.getBean(TaskRegistry.class));
            UUID id = jobs.submit(new ModelRef("tiny", model.toUri().toString(), null, null), SCORING, GENERATION);
            Evaluation done = jobs.awaitEnd(id, Duration.ofMinutes(3));
            assertThat(done.state()).as(done.toString()).isEqualTo(RunState.SUCCEEDED);
            return done;
        } finally {
            worker.close();
        }
    }

    private List<Map<String, Object>> samples(long taskId) {
        return JdbcClient.create(database.dataSource())
                .sql("SELECT doc_id, record::text AS record, scores::text AS scores FROM sample_score"
                        + " WHERE task_id = :taskId ORDER BY doc_id")
                .param("taskId", taskId)
                .query()
                .listOfRows();
    }

    /** The generation rows by example index, as the exports and the judging read them. */
    private List<Map<String, Object>> generations(long taskId) {
        return JdbcClient.create(database.dataSource())
                .sql("SELECT example_id, prompt, output, prompt_tokens, output_tokens, finish_reason, attempt"
                        + " FROM generation WHERE task_id = :taskId ORDER BY example_id::integer")
                .param("taskId", taskId)
                .query()
                .listOfRows();
    }

    /** Equal JSON, numbers to 1e-4 (log-likelihoods), everything else exactly. */
    private static void assertSameJson(JsonNode actual, JsonNode expected, String where) {
        if (expected.isNumber() && actual.isNumber()) {
            assertThat(actual.doubleValue()).as(where).isCloseTo(expected.doubleValue(), within(1e-4));
        } else if (expected.isArray() || expected.isObject()) {
            assertThat(actual.getNodeType()).as(where).isEqualTo(expected.getNodeType());
            assertThat(actual.size()).as(where).isEqualTo(expected.size());
            if (expected.isArray()) {
                for (int i = 0; i < expected.size(); i++) {
                    assertSameJson(actual.get(i), expected.get(i), where + "[" + i + "]");
                }
            } else {
                for (Map.Entry<String, JsonNode> property : expected.properties()) {
                    assertSameJson(actual.get(property.getKey()), property.getValue(), where + "." + property.getKey());
                }
            }
        } else {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }
}
