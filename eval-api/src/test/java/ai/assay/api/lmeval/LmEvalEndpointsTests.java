package ai.assay.api.lmeval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.core.lmeval.testing.LmEvalFixtures;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.DocScoring;
import ai.assay.reference.lmeval.LogLikelihood;
import ai.assay.reference.lmeval.SampleRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The preview and export endpoints over real HTTP, with the shipped test datasets as assay.datasets.dir. */
class LmEvalEndpointsTests extends ApiIntegrationTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Path TEMP;
    private static final LmEvalFixtures FIXTURES;

    static {
        try {
            TEMP = Files.createTempDirectory("lmeval-api");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        FIXTURES = new LmEvalFixtures(TEMP);
    }

    @DynamicPropertySource
    static void datasets(DynamicPropertyRegistry registry) {
        registry.add("assay.datasets.dir", () -> TEMP.resolve("datasets").toString());
        registry.add("assay.datasets.cache-dir", () -> TEMP.resolve("api-cache").toString());
        registry.add("assay.datasets.offline", () -> "true");
        registry.add("assay.lmeval.offline", () -> "true");
    }

    @AfterAll
    static void clean() throws IOException {
        try (var paths = Files.walk(TEMP)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void previewRendersTheFirstRequestsAsLmEvalLogsThem() {
        Response response = api.get("/tasks/arc_easy/preview?limit=2&numFewshot=1");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("requests")).hasSize(2);
        JsonNode first = body.get("requests").get(0);
        assertThat(first.get("doc_id").intValue()).isZero();
        assertThat(first.get("target").stringValue()).isEqualTo("0");
        assertThat(first.get("arguments").get("gen_args_0").get("arg_0").stringValue())
                .isEqualTo(
                        "Question: Which change in the state of water particles causes the particles to become arranged in"
                                + " a fixed position?\nAnswer: freezing\n\nQuestion: Which statement best explains why"
                                + " photosynthesis is the foundation of most food webs?\nAnswer:");
        assertThat(first.get("arguments").get("gen_args_3").get("arg_1").stringValue())
                .isEqualTo(" The producers in all ecosystems are plants.");
        assertThat(first.get("prompt_hash").stringValue())
                .isEqualTo(SampleRecords.sha256(
                        first.get("arguments").get("gen_args_0").get("arg_0").stringValue()));
        assertThat(body.get("datasets").get(0).get("origin").stringValue()).isEqualTo("directory");
        assertThat(body.get("datasets").get(1).get("role").stringValue()).isEqualTo("fewshot");
    }

    @Test
    void previewErrorsAreProblems() {
        Response unknown = api.get("/tasks/nope/preview");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.isProblem()).isTrue();

        Response missing = api.get("/tasks/mmlu_anatomy/preview");
        assertThat(missing.status()).isEqualTo(503);
        assertThat(missing.json().get("type").stringValue()).isEqualTo("/problems/dataset-unavailable");
        assertThat(missing.json().get("detail").stringValue()).contains("cais/mmlu/anatomy/test.parquet|.jsonl");

        Response fixed = api.get("/tasks/truthfulqa_mc1/preview?numFewshot=5");
        assertThat(fixed.status()).isEqualTo(400);
        assertThat(fixed.json().get("parameter").stringValue()).isEqualTo("numFewshot");

        assertThat(api.get("/tasks/arc_easy/preview?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/tasks/mmlu_astronomy/preview?numFewshot=6").status())
                .isEqualTo(400);
    }

    @Test
    void theTasksAreListedWithLmEvalsOptions() {
        JsonNode arc = api.get("/tasks/arc_easy").json();
        List<String> options = new ArrayList<>();
        arc.get("options").forEach(o -> options.add(o.get("name").stringValue()));
        assertThat(options)
                .containsExactly(
                        "numFewshot",
                        "limit",
                        "fewshotSeed",
                        "addBosToken",
                        "maxLength",
                        "batchSize",
                        "applyChatTemplate",
                        "fewshotAsMultiturn",
                        "systemInstruction");
        JsonNode truthful = api.get("/tasks/truthfulqa_mc1").json();
        assertThat(truthful.get("options").toString()).doesNotContain("numFewshot");
        assertThat(api.get("/tasks/mmlu").json().get("description").stringValue())
                .contains("57 tasks");
        assertThat(api.get("/tasks/mmlu_astronomy").status()).isEqualTo(200);
    }

    @Test
    void theExportedModelArgumentsNameTheAdapterAsLmEvalsPeftArgument() {
        Response submitted = api.postJson("/evaluations", """
                {"model": {"name": "tiny-lora", "uri": "file:///models/tiny", "adapter": "file:///models/tiny-lora"},
                 "tasks": [{"name": "arc_easy", "limit": 3}]}
                """);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").stringValue();
        long taskId = jdbc.sql("SELECT id FROM evaluation_task WHERE evaluation_id = CAST(:id AS uuid)")
                .param("id", id)
                .query(Long.class)
                .single();
        for (DocRequests doc : FIXTURES.requests("arc_easy", 0, 3)) {
            List<LogLikelihood> answers = new ArrayList<>();
            for (int i = 0; i < doc.arguments().size(); i++) {
                answers.add(new LogLikelihood(-10.5 - i, i == 0));
            }
            var record = SampleRecords.record(doc, answers, null);
            var scores = SampleRecords.scores(DocScoring.score(LmEvalFixtures.task("arc_easy"), doc.doc(), answers));
            jdbc.sql("INSERT INTO sample_score (task_id, doc_id, record, scores, attempt) VALUES (:task, :doc,"
                            + " CAST(:record AS jsonb), CAST(:scores AS jsonb), 1)")
                    .param("task", taskId)
                    .param("doc", doc.docId())
                    .param("record", MAPPER.writeValueAsString(record))
                    .param("scores", MAPPER.writeValueAsString(scores))
                    .update();
        }
        jdbc.sql("UPDATE evaluation_task SET state = 'succeeded', started_at = now(), finished_at = now(),"
                        + " result = CAST(:result AS jsonb) WHERE evaluation_id = CAST(:id AS uuid)")
                .param("result", "{\"lmEval\": {\"originalCounts\": {\"arc_easy\": 2376}}}")
                .param("id", id)
                .update();

        Response results = api.get("/evaluations/" + id + "/tasks/arc_easy/results");

        assertThat(results.status()).as(results.body()).isEqualTo(200);
        assertThat(results.json().get("config").get("model_args").stringValue())
                .isEqualTo("pretrained=file:///models/tiny,peft=file:///models/tiny-lora");
    }

    @Test
    void samplesAndResultsAreExportedInLmEvalsFormats() {
        Response submitted = api.postJson("/evaluations", """
                {"model": {"name": "tiny", "uri": "file:///models/tiny"},
                 "tasks": [{"name": "arc_easy", "limit": 3}]}
                """);
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.json().get("id").stringValue();
        long taskId = jdbc.sql("SELECT id FROM evaluation_task WHERE evaluation_id = CAST(:id AS uuid)")
                .param("id", id)
                .query(Long.class)
                .single();
        // What the worker stores for three documents.
        List<String> expectedLines = new ArrayList<>();
        List<DocRequests> docs = FIXTURES.requests("arc_easy", 0, 3);
        for (DocRequests doc : docs) {
            List<LogLikelihood> answers = new ArrayList<>();
            for (int i = 0; i < doc.arguments().size(); i++) {
                answers.add(new LogLikelihood(-10.5 - i * (doc.docId() == 1 ? -1 : 1), i == 0));
            }
            var record = SampleRecords.record(doc, answers, null);
            var scores = SampleRecords.scores(DocScoring.score(LmEvalFixtures.task("arc_easy"), doc.doc(), answers));
            jdbc.sql("INSERT INTO sample_score (task_id, doc_id, record, scores, attempt) VALUES (:task, :doc,"
                            + " CAST(:record AS jsonb), CAST(:scores AS jsonb), 1)")
                    .param("task", taskId)
                    .param("doc", doc.docId())
                    .param("record", MAPPER.writeValueAsString(record))
                    .param("scores", MAPPER.writeValueAsString(scores))
                    .update();
            expectedLines.add(SampleRecords.samplesLine(LmEvalFixtures.task("arc_easy"), record, scores));
        }

        assertThat(api.get("/evaluations/" + id + "/tasks/arc_easy/results").status())
                .isEqualTo(409);

        Response samples = api.get("/evaluations/" + id + "/tasks/arc_easy/samples");
        assertThat(samples.status()).isEqualTo(200);
        assertThat(samples.contentType()).startsWith("application/jsonl");
        assertThat(samples.body().split("\n")).containsExactlyElementsOf(expectedLines);

        jdbc.sql("UPDATE evaluation_task SET state = 'succeeded', started_at = now(), finished_at = now(),"
                        + " result = CAST(:result AS jsonb) WHERE id = :id")
                .param("result", "{\"lmEval\": {\"originalCounts\": {\"arc_easy\": 2376}}}")
                .param("id", taskId)
                .update();
        Response results = api.get("/evaluations/" + id + "/tasks/arc_easy/results");

        assertThat(results.status()).isEqualTo(200);
        JsonNode json = results.json();
        // Docs 0 and 2 pick choice 0 (gold for doc 0 only), doc 1 picks its last choice: acc = 1/3.
        assertThat(json.get("results").get("arc_easy").get("acc,none").doubleValue())
                .isEqualTo(1.0 / 3);
        assertThat(json.get("results").get("arc_easy").get("acc_stderr,none").doubleValue())
                .isPositive();
        assertThat(json.get("n-samples").get("arc_easy").get("original").intValue())
                .isEqualTo(2376);
        assertThat(json.get("n-shot").get("arc_easy").intValue()).isZero();
        assertThat(json.get("config").get("model_args").stringValue()).isEqualTo("pretrained=file:///models/tiny");
        assertThat(json.get("config").get("limit").intValue()).isEqualTo(3);
        assertThat(json.get("versions").get("arc_easy").doubleValue()).isEqualTo(1.0);
        assertThat(json.get("results").get("arc_easy").get("sample_len").intValue())
                .isEqualTo(3);
        // lm-eval v0.4.12's top-level order, then Assay's own block.
        assertThat(json.propertyNames())
                .containsExactly(
                        "results",
                        "group_subtasks",
                        "configs",
                        "versions",
                        "n-shot",
                        "higher_is_better",
                        "n-samples",
                        "config",
                        "date",
                        "task_hashes",
                        "model_source",
                        "model_name",
                        "model_name_sanitized",
                        "system_instruction",
                        "system_instruction_sha",
                        "fewshot_as_multiturn",
                        "chat_template",
                        "chat_template_sha",
                        "total_evaluation_time_seconds",
                        "assay");
        StringBuilder joined = new StringBuilder();
        for (String line : expectedLines) {
            JsonNode sample = MAPPER.readTree(line);
            joined.append(sample.get("doc_hash").stringValue())
                    .append(sample.get("prompt_hash").stringValue())
                    .append(sample.get("target_hash").stringValue());
        }
        assertThat(json.get("task_hashes").get("arc_easy").stringValue())
                .isEqualTo(SampleRecords.sha256(joined.toString()));
        assertThat(json.get("model_name").stringValue()).isEqualTo("file:///models/tiny");
        assertThat(json.get("model_name_sanitized").stringValue()).isEqualTo("file__models__tiny");
        assertThat(json.get("fewshot_as_multiturn").isNull()).isTrue();
        assertThat(json.get("chat_template").isNull()).isTrue();
        assertThat(json.get("total_evaluation_time_seconds").stringValue()).isEqualTo("0.0");
        assertThat(json.get("date").doubleValue()).isPositive();
        assertThat(json.get("configs").get("arc_easy").get("metadata").toString())
                .isEqualTo("{\"version\":1.0,\"pretrained\":\"file:///models/tiny\"}");
        assertThat(json.get("assay").get("modelName").stringValue()).isEqualTo("tiny");

        assertThat(api.get("/evaluations/" + id + "/tasks/hellaswag/samples").status())
                .isEqualTo(404);
    }

    @Test
    void resultsNameTheChatTemplateTheRunRenderedWith() {
        String id = api.postJson("/evaluations", """
                        {"model": {"name": "tiny", "uri": "file:///models/tiny"},
                         "tasks": [{"name": "arc_easy", "limit": 1, "applyChatTemplate": true}]}
                        """).json().get("id").stringValue();
        long taskId = jdbc.sql("SELECT id FROM evaluation_task WHERE evaluation_id = CAST(:id AS uuid)")
                .param("id", id)
                .query(Long.class)
                .single();
        DocRequests doc = FIXTURES.requests("arc_easy", 0, 1).get(0);
        List<LogLikelihood> answers = new ArrayList<>();
        for (int i = 0; i < doc.arguments().size(); i++) {
            answers.add(new LogLikelihood(-1.0 - i, i == 0));
        }
        jdbc.sql("INSERT INTO sample_score (task_id, doc_id, record, scores, attempt) VALUES (:task, 0,"
                        + " CAST(:record AS jsonb), CAST(:scores AS jsonb), 1)")
                .param("task", taskId)
                .param("record", MAPPER.writeValueAsString(SampleRecords.record(doc, answers, null)))
                .param(
                        "scores",
                        MAPPER.writeValueAsString(SampleRecords.scores(
                                DocScoring.score(LmEvalFixtures.task("arc_easy"), doc.doc(), answers))))
                .update();
        String template = "{% for m in messages %}{{ m['content'] }}{% endfor %}";
        jdbc.sql("UPDATE evaluation_task SET state = 'succeeded', started_at = now(), finished_at = now(),"
                        + " result = CAST(:result AS jsonb) WHERE id = :id")
                .param("result", MAPPER.writeValueAsString(Map.of("lmEval", Map.of("chatTemplate", template))))
                .param("id", taskId)
                .update();

        JsonNode json =
                api.get("/evaluations/" + id + "/tasks/arc_easy/results").json();

        assertThat(json.get("chat_template").stringValue()).isEqualTo(template);
        assertThat(json.get("chat_template_sha").stringValue()).isEqualTo(SampleRecords.sha256(template));
        assertThat(json.get("fewshot_as_multiturn").booleanValue()).isFalse();
    }
}
