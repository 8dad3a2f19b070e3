package ai.assay.api.lmeval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.core.lmeval.GenerationTasks;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The preview and the exports of generation tasks over real HTTP, with lm-eval's own task files (the shared
 * fixtures) as {@code assay.lmeval.tasks-dir} and their rows as the datasets directory. Stored rows are what the
 * worker writes for a document: {@link SampleRecords#generationRecord} and the scores of
 * {@link GenerationTasks#scorer}.
 */
@RequiresSharedFixtures
class GenerationExportsTests extends ApiIntegrationTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @DynamicPropertySource
    static void fixtures(DynamicPropertyRegistry registry) {
        registry.add("assay.lmeval.tasks-dir", () -> SharedFixtures.tasks().toString());
        registry.add("assay.datasets.dir", () -> SharedFixtures.root().toString());
    }

    @Autowired
    LmEvalCatalog catalog;

    @Test
    void aGenerationTasksPreviewShowsItsRequestAsLmEvalLogsItAndWhatTheModelIsAskedFor() {
        Response response = api.get("/tasks/gsm8k/preview?limit=1");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("numFewshot").intValue()).isEqualTo(5); // gsm8k.yaml's num_fewshot
        JsonNode first = body.get("requests").get(0);
        JsonNode request = first.get("arguments").get("gen_args_0");
        String question = SharedFixtures.rows("openai/gsm8k", "main", "test")
                .get(0)
                .get("question")
                .stringValue();
        assertThat(request.get("arg_0").stringValue())
                .startsWith("Question: ")
                .endsWith("Question: " + question + "\nAnswer:");
        assertThat(request.get("arg_1").toString())
                .isEqualTo(
                        "{\"until\":[\"Question:\",\"</s>\",\"<|im_end|>\"],\"do_sample\":false,\"temperature\":0.0}");
        assertThat(first.get("prompt_hash").stringValue())
                .isEqualTo(SampleRecords.sha256(request.get("arg_0").stringValue()));
        JsonNode generation = first.get("generation");
        assertThat(generation.get("context").stringValue())
                .isEqualTo(request.get("arg_0").stringValue());
        assertThat(generation.get("until").toString()).isEqualTo("[\"Question:\",\"</s>\",\"<|im_end|>\"]");
        assertThat(generation.get("max_gen_toks").intValue()).isEqualTo(256);
        assertThat(generation.get("do_sample").booleanValue()).isFalse();
        assertThat(generation.get("temperature").doubleValue()).isZero();
        assertThat(generation.get("repeats").intValue()).isEqualTo(1);
    }

    @Test
    void aZeroShotPreviewIsTheQuestionAloneAndIfevalAsksForItsOwnBudget() {
        JsonNode gsm8k = api.get("/tasks/gsm8k/preview?limit=1&numFewshot=0").json();
        String question = SharedFixtures.rows("openai/gsm8k", "main", "test")
                .get(0)
                .get("question")
                .stringValue();
        assertThat(gsm8k.get("requests").get(0).get("generation").get("context").stringValue())
                .isEqualTo("Question: " + question + "\nAnswer:");

        JsonNode ifeval = api.get("/tasks/ifeval/preview?limit=2").json();
        assertThat(ifeval.get("requests")).hasSize(2);
        JsonNode generation = ifeval.get("requests").get(0).get("generation");
        assertThat(generation.get("until")).isEmpty();
        assertThat(generation.get("max_gen_toks").intValue()).isEqualTo(1280);
        assertThat(ifeval.get("requests").get(0).get("target").stringValue()).isEqualTo("0");
    }

    /** ChatML, the shape of Qwen's and many other models' templates. */
    private static final String CHATML = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** A template that refuses the system role, as Gemma's does. */
    private static final String NO_SYSTEM = "{% for message in messages %}{% if message['role'] == 'system' %}"
            + "{{ raise_exception('System role not supported') }}{% endif %}"
            + "{{ bos_token + message['role'] + ': ' + message['content'] + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ 'model: ' }}{% endif %}";

    private static String question() {
        return SharedFixtures.rows("openai/gsm8k", "main", "test")
                .get(0)
                .get("question")
                .stringValue();
    }

    @Test
    void aPreviewWithAChatTemplateShowsTheMessagesAndTheTemplatedTextTheModelGets() {
        String body = MAPPER.createObjectNode()
                .put("limit", 1)
                .put("numFewshot", 0)
                .put("applyChatTemplate", true)
                .put("systemInstruction", "Be brief.")
                .put("chatTemplate", CHATML)
                .toString();

        Response response = api.postJson("/tasks/gsm8k/preview", body);

        assertThat(response.status()).isEqualTo(200);
        JsonNode first = response.json().get("requests").get(0);
        assertThat(response.json().get("templated").booleanValue()).isTrue();
        assertThat(first.get("messages").toString())
                .isEqualTo(MAPPER.createArrayNode()
                        .add(MAPPER.createArrayNode()
                                .add(MAPPER.createObjectNode()
                                        .put("role", "system")
                                        .put("content", "Be brief."))
                                .add(MAPPER.createObjectNode()
                                        .put("role", "user")
                                        .put("content", "Question: " + question() + "\nAnswer:")))
                        .toString());
        String templated = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nQuestion: " + question()
                + "\nAnswer:<|im_end|>\n<|im_start|>assistant\n";
        assertThat(first.get("generation").get("context").stringValue()).isEqualTo(templated);
        assertThat(first.get("arguments").get("gen_args_0").get("arg_0").stringValue())
                .isEqualTo(templated);
        assertThat(first.get("prompt_hash").stringValue()).isEqualTo(SampleRecords.sha256(templated));
    }

    @Test
    void aTemplateThatRefusesTheSystemRoleIsRenderedWithoutItAsLmEvalDoes() {
        String body = MAPPER.createObjectNode()
                .put("limit", 1)
                .put("numFewshot", 0)
                .put("applyChatTemplate", true)
                .put("systemInstruction", "Be brief.")
                .put("chatTemplate", NO_SYSTEM)
                .set("specialTokens", MAPPER.createObjectNode().put("bos_token", "<bos>"))
                .toString();

        JsonNode first = api.postJson("/tasks/gsm8k/preview", body)
                .json()
                .get("requests")
                .get(0);

        assertThat(first.get("generation").get("context").stringValue())
                .isEqualTo("<bos>user: Question: " + question() + "\nAnswer:\nmodel: ");
    }

    @Test
    void withoutATemplateAChatPreviewShowsTheMessagesOnly() {
        JsonNode body = api.get(
                        "/tasks/gsm8k/preview?limit=2&numFewshot=2&applyChatTemplate=true" + "&fewshotAsMultiturn=true")
                .json();

        assertThat(body.get("templated").booleanValue()).isFalse();
        assertThat(body.get("requests")).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.has("arguments")).isFalse();
            // two shots as user and assistant turns, then the question
            assertThat(entry.get("messages").get(0)).hasSize(5);
            assertThat(entry.get("messages").get(0).get(1).get("role").stringValue())
                    .isEqualTo("assistant");
        });
    }

    @Test
    void aBrokenTemplateOrMultiturnWithoutATemplateIsAProblem() {
        Response broken = api.postJson(
                "/tasks/gsm8k/preview", "{\"applyChatTemplate\": true, \"chatTemplate\": \"{% for m in messages %}\"}");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("detail").stringValue()).contains("chat template");

        Response multiturn = api.get("/tasks/gsm8k/preview?fewshotAsMultiturn=true");
        assertThat(multiturn.status()).isEqualTo(400);
        assertThat(multiturn.json().get("detail").stringValue()).contains("applyChatTemplate");
    }

    /** Stores what the worker would for each document and its response; returns the evaluation task's id. */
    private long store(String evaluationId, LmEvalTask task, List<DocRequests> docs, List<String> responses) {
        return storeRepeats(
                evaluationId, task, docs, responses.stream().map(List::of).toList());
    }

    /** As {@link #store}, with each document's responses to its repeated request. */
    private long storeRepeats(
            String evaluationId, LmEvalTask task, List<DocRequests> docs, List<List<String>> responses) {
        long taskId = jdbc.sql("SELECT id FROM evaluation_task WHERE evaluation_id = CAST(:id AS uuid)")
                .param("id", evaluationId)
                .query(Long.class)
                .single();
        GenerationTasks.Scorer scorer = GenerationTasks.scorer(task);
        for (int i = 0; i < docs.size(); i++) {
            DocRequests doc = docs.get(i);
            List<String> resps = responses.get(i);
            GenerationTasks.ScoredDocument score = scorer.score(doc.doc(), task.docToTarget(doc.doc()), resps);
            ObjectNode record = SampleRecords.generationRecord(doc, resps, score.filtered(), null);
            if (!score.details().isEmpty()) {
                record.set("metrics", MAPPER.valueToTree(score.details()));
            }
            jdbc.sql("INSERT INTO sample_score (task_id, doc_id, record, scores, attempt) VALUES (:task, :doc,"
                            + " CAST(:record AS jsonb), CAST(:scores AS jsonb), 1)")
                    .param("task", taskId)
                    .param("doc", doc.docId())
                    .param("record", MAPPER.writeValueAsString(record))
                    .param("scores", MAPPER.writeValueAsString(SampleRecords.scores(score.scores())))
                    .update();
        }
        return taskId;
    }

    private void succeed(long taskId, String task, int originalCount) {
        jdbc.sql("UPDATE evaluation_task SET state = 'succeeded', started_at = now(), finished_at = now(),"
                        + " result = CAST(:result AS jsonb) WHERE id = :id")
                .param("result", "{\"lmEval\": {\"originalCounts\": {\"" + task + "\": " + originalCount + "}}}")
                .param("id", taskId)
                .update();
    }

    @Test
    void gsm8kIsExportedAsALinePerDocumentAndFilterWithEachFiltersResults() {
        Response submitted = api.postJson("/evaluations", """
                {"model": {"name": "tiny", "uri": "file:///models/tiny"},
                 "tasks": [{"name": "gsm8k", "limit": 2, "numFewshot": 0}]}
                """);
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.json().get("id").stringValue();
        LmEvalTask gsm8k = catalog.task("gsm8k").orElseThrow();
        List<DocRequests> docs = SharedFixtures.requests(gsm8k, 0, 2);
        long taskId = store(
                id,
                gsm8k,
                docs,
                List.of(" She makes 9 * 2 = $18.\n#### 18", " It takes 3 bolts. The answer is $1,234."));

        Response samples = api.get("/evaluations/" + id + "/tasks/gsm8k/samples");

        assertThat(samples.status()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : samples.body().split("\n")) {
            lines.add(MAPPER.readTree(line));
        }
        // Every document under strict-match, then every document under flexible-extract, as lm-eval writes them.
        assertThat(lines)
                .extracting(l ->
                        l.get("filter").stringValue() + ":" + l.get("doc_id").intValue())
                .containsExactly("strict-match:0", "strict-match:1", "flexible-extract:0", "flexible-extract:1");
        assertThat(lines)
                .extracting(l -> l.get("filtered_resps").toString())
                .containsExactly("[\"18\"]", "[\"[invalid]\"]", "[\"18\"]", "[\"$1,234.\"]");
        assertThat(lines).extracting(l -> l.get("exact_match").doubleValue()).containsExactly(1.0, 0.0, 1.0, 0.0);
        assertThat(lines.get(1).get("resps").toString()).isEqualTo("[[\" It takes 3 bolts. The answer is $1,234.\"]]");
        assertThat(lines.get(0).get("arguments").get("gen_args_0").get("arg_0").stringValue())
                .isEqualTo(docs.get(0).generation().context());

        assertThat(api.get("/evaluations/" + id + "/tasks/gsm8k/results").status())
                .isEqualTo(409);
        succeed(taskId, "gsm8k", 1319);
        JsonNode results =
                api.get("/evaluations/" + id + "/tasks/gsm8k/results").json();

        JsonNode entry = results.get("results").get("gsm8k");
        assertThat(entry.get("exact_match,strict-match").doubleValue()).isEqualTo(0.5);
        assertThat(entry.get("exact_match_stderr,strict-match").doubleValue()).isEqualTo(0.5);
        assertThat(entry.get("exact_match,flexible-extract").doubleValue()).isEqualTo(0.5);
        assertThat(results.get("n-samples").get("gsm8k").toString()).isEqualTo("{\"original\":1319,\"effective\":2}");
        assertThat(results.get("configs").get("gsm8k").get("generation_kwargs").toString())
                .isEqualTo(
                        "{\"until\":[\"Question:\",\"</s>\",\"<|im_end|>\"],\"do_sample\":false,\"temperature\":0.0}");
        assertThat(results.get("configs").get("gsm8k").get("num_fewshot").intValue())
                .isZero();
        StringBuilder joined = new StringBuilder();
        for (JsonNode line : lines) {
            joined.append(line.get("doc_hash").stringValue())
                    .append(line.get("prompt_hash").stringValue())
                    .append(line.get("target_hash").stringValue());
        }
        assertThat(results.get("task_hashes").get("gsm8k").stringValue())
                .isEqualTo(SampleRecords.sha256(joined.toString()));
    }

    @Test
    void ifevalsSamplesCarryItsInstructionListsAndItsResultsTheirPooledAccuracy() {
        Response submitted = api.postJson("/evaluations", """
                {"model": {"name": "tiny", "uri": "file:///models/tiny"},
                 "tasks": [{"name": "ifeval", "limit": 2}]}
                """);
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.json().get("id").stringValue();
        LmEvalTask ifeval = catalog.task("ifeval").orElseThrow();
        String follows = "*Part one* then *part two* and *part three* " + "word ".repeat(300);
        long taskId = store(id, ifeval, SharedFixtures.requests(ifeval, 0, 2), List.of(follows, "Day one, Tokyo."));

        String body = api.get("/evaluations/" + id + "/tasks/ifeval/samples").body();

        List<JsonNode> lines = body.lines().map(MAPPER::readTree).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("filter").stringValue()).isEqualTo("none");
        assertThat(lines.get(0).get("inst_level_strict_acc").toString()).isEqualTo("[true,true,true]");
        assertThat(lines.get(1).get("prompt_level_strict_acc").booleanValue()).isFalse();
        assertThat(lines.get(1).get("metrics")).hasSize(4);

        succeed(taskId, "ifeval", 541);
        JsonNode entry = api.get("/evaluations/" + id + "/tasks/ifeval/results")
                .json()
                .get("results")
                .get("ifeval");
        assertThat(entry.get("inst_level_strict_acc,none").doubleValue()).isEqualTo(0.75);
        assertThat(entry.get("inst_level_strict_acc_stderr,none").stringValue()).isEqualTo("N/A");
        assertThat(entry.get("prompt_level_strict_acc,none").doubleValue()).isEqualTo(0.5);
        assertThat(entry.get("sample_len").intValue()).isEqualTo(2);
    }

    @Test
    void aRepeatedRequestIsExportedWithAllItsResponsesUnderEachVotingFilter() {
        String task = "gsm8k_cot_self_consistency";
        String id = api.postJson("/evaluations", """
                        {"model": {"name": "tiny", "uri": "file:///models/tiny"},
                         "tasks": [{"name": "gsm8k_cot_self_consistency", "limit": 2}]}
                        """).json().get("id").stringValue();
        LmEvalTask consistency = catalog.task(task).orElseThrow();
        List<DocRequests> docs = SharedFixtures.requests(consistency, 8, 2);
        // doc 0 (gold 18): the first response right, the next seven wrong, the other 56 right;
        // doc 1 (gold 3): always 4
        List<String> first = new ArrayList<>();
        first.add("The answer is 18.");
        first.addAll(java.util.Collections.nCopies(7, "The answer is 17."));
        first.addAll(java.util.Collections.nCopies(56, "The answer is 18."));
        List<String> second = java.util.Collections.nCopies(64, "The answer is 4.");
        long taskId = storeRepeats(id, consistency, docs, List.of(first, second));

        List<JsonNode> lines = api.get("/evaluations/" + id + "/tasks/" + task + "/samples")
                .body()
                .lines()
                .map(MAPPER::readTree)
                .toList();

        assertThat(lines)
                .extracting(l ->
                        l.get("filter").stringValue() + ":" + l.get("doc_id").intValue() + "="
                                + l.get("filtered_resps").toString() + ","
                                + l.get("exact_match").doubleValue())
                .containsExactly(
                        "score-first:0=[\"18\"],1.0",
                        "score-first:1=[\"4\"],0.0",
                        "maj@64:0=[\"18\"],1.0",
                        "maj@64:1=[\"4\"],0.0",
                        "maj@8:0=[\"17\"],0.0",
                        "maj@8:1=[\"4\"],0.0");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("resps")).hasSize(1);
            assertThat(line.get("resps").get(0)).hasSize(64);
        });
        assertThat(lines.get(0).get("arguments").get("gen_args_0").get("arg_1").toString())
                .contains("\"do_sample\":true");

        succeed(taskId, task, 1319);
        JsonNode entry = api.get("/evaluations/" + id + "/tasks/" + task + "/results")
                .json()
                .get("results")
                .get(task);
        assertThat(entry.get("exact_match,score-first").doubleValue()).isEqualTo(0.5);
        assertThat(entry.get("exact_match,maj@64").doubleValue()).isEqualTo(0.5);
        assertThat(entry.get("exact_match,maj@8").doubleValue()).isZero();
    }
}
