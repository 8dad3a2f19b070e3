package ai.assay.worker.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.testing.LmEvalFixtures;
import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.worker.engine.ScoringRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * lm-eval tasks run with {@code applyChatTemplate}, {@code fewshotAsMultiturn} and {@code systemInstruction}: the
 * runner renders lm-eval's chat messages with the model's own template (here ChatML), the engine gets the templated
 * prompt, and the stored record keeps it. The expected texts are written from lm-eval's rules and the ChatML
 * template; the rows are the shared fixtures.
 */
@RequiresSharedFixtures
class ChatTemplateRunTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String CHATML = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
            + "{{ message['content'] }}<|im_end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    @TempDir
    Path temp;

    private LmEvalCatalog catalog;
    private DatasetResolver datasets;
    private List<ObjectNode> arcTest;
    private List<ObjectNode> gsmTest;

    @BeforeEach
    void catalog() {
        catalog = LmEvalFixtures.generationCatalog(temp.resolve("cache"));
        datasets = LmEvalFixtures.offlineDatasets(SharedFixtures.root(), temp.resolve("datasets-cache"));
        arcTest = SharedFixtures.rows("allenai/ai2_arc", "ARC-Easy", "test");
        gsmTest = SharedFixtures.rows("openai/gsm8k", "main", "test");
    }

    private LmEvalTaskRunner runner(String task) {
        return new LmEvalTaskRunner(task, catalog, datasets, null, MAPPER);
    }

    private static String im(String role, String content) {
        return "<|im_start|>" + role + "\n" + content + "<|im_end|>\n";
    }

    private static String question(ObjectNode row) {
        return "Question: " + row.get("question").stringValue() + "\nAnswer:";
    }

    @Test
    void aMultipleChoiceTaskScoresTheTemplatedContextAndTheBareChoices() {
        ScriptedModel model = new ScriptedModel(false, 4096).withChatTemplate(CHATML);
        var context = new InMemoryTaskContext(
                "arc_easy",
                "{\"numFewshot\": 0, \"limit\": 1, \"applyChatTemplate\": true,"
                        + " \"systemInstruction\": \"Answer the question.\"}",
                model,
                new InMemoryTaskContext.Store());

        runner("arc_easy").run(context);

        String templated =
                im("system", "Answer the question.") + im("user", question(arcTest.get(0))) + "<|im_start|>assistant\n";
        assertThat(model.chats)
                .containsExactly(List.of(
                        new ChatMessage("system", "Answer the question."),
                        new ChatMessage("user", question(arcTest.get(0)))));
        List<ScoringRequest> requests = model.batches.get(0);
        assertThat(requests).hasSize(4);
        for (ScoringRequest request : requests) {
            // the context's trailing newline moves to the continuation, which has no target delimiter
            assertThat(model.tokenizer.decode(request.contextTokens(), false))
                    .isEqualTo(templated.substring(0, templated.length() - 1));
        }
        assertThat(requests.stream()
                        .map(r -> model.tokenizer.decode(r.continuationTokens(), false))
                        .sorted()
                        .toList())
                .containsExactly(
                        "\nCarbon dioxide is more available than other gases.",
                        "\nMost ecosystems are found on land instead of in water.",
                        "\nSunlight is the source of energy for nearly all ecosystems.",
                        "\nThe producers in all ecosystems are plants.");
        JsonNode record = context.store.samples.get(0).record();
        assertThat(record.get("contexts").get(0).stringValue()).isEqualTo(templated);
        assertThat(record.get("arguments").get(0).get(1).stringValue())
                .isEqualTo("Sunlight is the source of energy for nearly all ecosystems.");
    }

    @Test
    void aGenerationTaskSendsTheTemplatedMultiturnPromptAndStoresIt() {
        ScriptedModel model = new ScriptedModel(false, 4096).withChatTemplate(CHATML);
        model.answers = prompt -> " The answer is 3.";
        var context = new InMemoryTaskContext(
                "gsm8k",
                "{\"numFewshot\": 1, \"limit\": 1, \"applyChatTemplate\": true, \"fewshotAsMultiturn\": true}",
                model,
                new InMemoryTaskContext.Store());

        runner("gsm8k").run(context);

        // one shot: training row 7 (CPython: random.Random(1234).sample(range(10), 1) is [7])
        ObjectNode shot = SharedFixtures.rows("openai/gsm8k", "main", "train").get(7);
        String templated = im("user", question(shot))
                + im("assistant", shot.get("answer").stringValue())
                + im("user", question(gsmTest.get(0)))
                + "<|im_start|>assistant\n";
        assertThat(model.generations).hasSize(1);
        assertThat(model.tokenizer.decode(model.generations.get(0).promptTokens(), false))
                .isEqualTo(templated);
        assertThat(context.store.samples.get(0).record().get("context").stringValue())
                .isEqualTo(templated);
        assertThat(context.store.result.get("lmEval").get("chatTemplate").stringValue())
                .as("results.json's chat_template")
                .isEqualTo(CHATML);
    }

    @Test
    void withoutTheOptionsTheModelsTemplateIsNeverAsked() {
        ScriptedModel model = new ScriptedModel(false, 4096).withChatTemplate(CHATML);
        var context = new InMemoryTaskContext(
                "gsm8k", "{\"numFewshot\": 0, \"limit\": 1}", model, new InMemoryTaskContext.Store());

        runner("gsm8k").run(context);

        assertThat(model.chats).isEmpty();
        assertThat(context.store.result.get("lmEval").has("chatTemplate")).isFalse();
        assertThat(model.tokenizer.decode(model.generations.get(0).promptTokens(), false))
                .isEqualTo(question(gsmTest.get(0)));
    }

    @Test
    void fewshotAsMultiturnWithoutAChatTemplateIsRefused() {
        ScriptedModel model = new ScriptedModel(false, 4096).withChatTemplate(CHATML);
        var context = new InMemoryTaskContext(
                "gsm8k",
                "{\"numFewshot\": 0, \"limit\": 1, \"fewshotAsMultiturn\": true}",
                model,
                new InMemoryTaskContext.Store());

        assertThatThrownBy(() -> runner("gsm8k").run(context))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewshotAsMultiturn needs applyChatTemplate");
        assertThat(model.generations).isEmpty();
    }
}
