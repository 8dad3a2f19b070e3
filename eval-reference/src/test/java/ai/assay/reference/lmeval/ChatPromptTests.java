package ai.assay.reference.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.jinja.JinjaDialect;
import ai.assay.reference.jinja.JinjaTemplate;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.node.ObjectNode;

/**
 * Prompts under lm-eval's {@code --apply_chat_template}, {@code --fewshot_as_multiturn} and
 * {@code --system_instruction} (commit 4e7e0d47f), from lm-eval's own task files and real rows. The expected
 * messages are written here from upstream's rules ({@code fewshot_context}, {@code build_qa_turn},
 * {@code multiturn_to_singleturn}, {@code construct_requests}), the rendered text from a ChatML template; the
 * rows' own text is read from the fixtures. Which rows the shots use comes from CPython (see
 * {@link PromptRenderingTests} and {@link GenerationPromptTests}): arc_easy's first document at one shot takes
 * training row 7; gsm8k's first document at five shots takes training rows 7, 1, 0, 9, 4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@RequiresSharedFixtures
class ChatPromptTests {

    private static final String CHATML = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
            + "{{ message['content'] }}<|im_end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
    private static final String SYSTEM = "You are a careful assistant.";

    private TaskTree tree;
    private List<ObjectNode> arcTest;
    private List<ObjectNode> arcTrain;
    private List<ObjectNode> gsmTest;
    private List<ObjectNode> gsmTrain;
    private List<ObjectNode> ifeval;
    private ChatPrompt.Renderer chatml;

    @BeforeAll
    void readFixtures() {
        tree = SharedFixtures.tree("arc", "gsm8k", "ifeval", "winogrande");
        arcTest = SharedFixtures.rows("allenai/ai2_arc", "ARC-Easy", "test");
        arcTrain = SharedFixtures.rows("allenai/ai2_arc", "ARC-Easy", "train");
        gsmTest = SharedFixtures.rows("openai/gsm8k", "main", "test");
        gsmTrain = SharedFixtures.rows("openai/gsm8k", "main", "train");
        ifeval = SharedFixtures.rows("google/IFEval", "default", "train");
        JinjaTemplate template = JinjaTemplate.parse(CHATML, JinjaDialect.TRANSFORMERS);
        chatml = (messages, addGenerationPrompt) -> {
            List<Map<String, Object>> chat = messages.stream()
                    .map(m -> {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("role", m.role());
                        entry.put("content", m.content());
                        return entry;
                    })
                    .toList();
            Map<String, Object> bindings = new LinkedHashMap<>();
            bindings.put("messages", chat);
            bindings.put("add_generation_prompt", addGenerationPrompt);
            return template.render(bindings);
        };
    }

    private LmEvalTask task(String name) {
        return tree.task(name).orElseThrow();
    }

    private List<ChatPrompt> prompts(String task, int shots, Integer limit, ChatOptions options) {
        return SharedFixtures.chatPrompts(task(task), shots, limit, options);
    }

    private List<DocRequests> requests(String task, int shots, Integer limit, ChatOptions options) {
        return SharedFixtures.requests(task(task), shots, limit, options, chatml);
    }

    private static String text(ObjectNode row, String field) {
        return row.get(field).stringValue();
    }

    private static String arcQuestion(ObjectNode row) {
        return "Question: " + text(row, "question") + "\nAnswer:";
    }

    private static List<String> arcChoices(ObjectNode row) {
        return row.get("choices")
                .get("text")
                .valueStream()
                .map(n -> n.stringValue())
                .toList();
    }

    private static String gsmQuestion(ObjectNode row) {
        return "Question: " + text(row, "question") + "\nAnswer:";
    }

    private static PromptMessage user(String content) {
        return PromptMessage.user(content);
    }

    private static PromptMessage assistant(String content) {
        return PromptMessage.assistant(content);
    }

    private static String im(String role, String content) {
        return "<|im_start|>" + role + "\n" + content + "<|im_end|>\n";
    }

    private static final String GENERATION_PROMPT = "<|im_start|>assistant\n";

    @Nested
    class ArcEasy {

        @Test
        void zeroShotIsTheQuestionAloneAsOneUserMessage() {
            ChatPrompt prompt =
                    prompts("arc_easy", 0, 1, ChatOptions.chat(null)).get(0);

            assertThat(prompt.conversations()).containsExactly(List.of(user(arcQuestion(arcTest.get(0)))));
            assertThat(prompt.continueFinalMessage()).isFalse();
        }

        @Test
        void theContinuationIsTheChoiceWithoutTheTargetDelimiter() {
            DocRequests doc = requests("arc_easy", 0, 1, ChatOptions.chat(null)).get(0);

            String context = im("user", arcQuestion(arcTest.get(0))) + GENERATION_PROMPT;
            assertThat(doc.arguments()).extracting(ScoringArguments::context).containsOnly(context);
            assertThat(doc.arguments())
                    .extracting(ScoringArguments::continuation)
                    .containsExactly(
                            "Sunlight is the source of energy for nearly all ecosystems.",
                            "Most ecosystems are found on land instead of in water.",
                            "Carbon dioxide is more available than other gases.",
                            "The producers in all ecosystems are plants.");
            assertThat(doc.arguments())
                    .extracting(ScoringArguments::continuation)
                    .containsExactlyElementsOf(arcChoices(arcTest.get(0)));
        }

        @Test
        void theSystemInstructionIsTheSystemMessage() {
            DocRequests doc =
                    requests("arc_easy", 0, 1, ChatOptions.chat(SYSTEM)).get(0);

            assertThat(doc.arguments().get(0).context())
                    .isEqualTo(im("system", SYSTEM) + im("user", arcQuestion(arcTest.get(0))) + GENERATION_PROMPT);
        }

        @Test
        void oneShotInOneUserMessageIsThePlainTextPrompt() {
            ChatPrompt prompt =
                    prompts("arc_easy", 1, 1, ChatOptions.chat(null)).get(0);

            String shot = arcQuestion(arcTrain.get(7)) + " freezing\n\n";
            assertThat(prompt.conversations()).containsExactly(List.of(user(shot + arcQuestion(arcTest.get(0)))));
            String plain = SharedFixtures.requests(task("arc_easy"), 1, 1)
                    .get(0)
                    .arguments()
                    .get(0)
                    .context();
            assertThat(prompt.conversations().get(0).get(0).content()).isEqualTo(plain);
        }

        @Test
        void oneShotAsMultiturnIsAUserAndAnAssistantTurnBeforeTheQuestion() {
            DocRequests doc =
                    requests("arc_easy", 1, 1, ChatOptions.multiturn(SYSTEM)).get(0);

            assertThat(doc.arguments().get(0).context())
                    .isEqualTo(im("system", SYSTEM)
                            + im("user", arcQuestion(arcTrain.get(7)))
                            + im("assistant", "freezing")
                            + im("user", arcQuestion(arcTest.get(0)))
                            + GENERATION_PROMPT);
            assertThat(doc.arguments().get(0).continuation())
                    .isEqualTo(arcChoices(arcTest.get(0)).get(0));
        }
    }

    @Nested
    class Gsm8k {

        private List<ObjectNode> shots() {
            return IntStream.of(7, 1, 0, 9, 4).mapToObj(gsmTrain::get).toList();
        }

        @Test
        void fiveShotsInOneUserMessageAfterTheSystemMessage() {
            ChatPrompt prompt = prompts("gsm8k", 5, 1, ChatOptions.chat(SYSTEM)).get(0);

            String examples = shots().stream()
                    .map(row -> gsmQuestion(row) + " " + text(row, "answer") + "\n\n")
                    .collect(Collectors.joining());
            assertThat(prompt.conversations())
                    .containsExactly(
                            List.of(PromptMessage.system(SYSTEM), user(examples + gsmQuestion(gsmTest.get(0)))));
        }

        @Test
        void fiveShotsAsMultiturnAlternateWithoutDelimiters() {
            GenerationRequest request = requests("gsm8k", 5, 1, ChatOptions.multiturn(SYSTEM))
                    .get(0)
                    .generation();

            String turns = shots().stream()
                    .map(row -> im("user", gsmQuestion(row)) + im("assistant", text(row, "answer")))
                    .collect(Collectors.joining());
            assertThat(request.context())
                    .isEqualTo(
                            im("system", SYSTEM) + turns + im("user", gsmQuestion(gsmTest.get(0))) + GENERATION_PROMPT);
            assertThat(request.until()).containsExactly("Question:", "</s>", "<|im_end|>");
            assertThat(request.maxGenToks()).isEqualTo(256);
        }

        @Test
        void zeroShotWithAndWithoutMultiturnIsTheSameOneUserMessage() {
            String expected = im("user", gsmQuestion(gsmTest.get(1))) + GENERATION_PROMPT;

            assertThat(requests("gsm8k", 0, 2, ChatOptions.chat(null))
                            .get(1)
                            .generation()
                            .context())
                    .isEqualTo(expected);
            assertThat(requests("gsm8k", 0, 2, ChatOptions.multiturn(null))
                            .get(1)
                            .generation()
                            .context())
                    .isEqualTo(expected);
        }

        @Test
        void withoutAChatTemplateTheSystemInstructionIsPrependedVerbatim() {
            GenerationRequest request =
                    requests("gsm8k", 0, 1, ChatOptions.plain(SYSTEM)).get(0).generation();

            assertThat(request.context()).isEqualTo(SYSTEM + gsmQuestion(gsmTest.get(0)));
        }

        @Test
        void theSameShotsAreDrawnWithAndWithoutAChatTemplate() {
            List<DocRequests> plain = SharedFixtures.requests(task("gsm8k"), 5, 3);
            List<ChatPrompt> chat = prompts("gsm8k", 5, 3, ChatOptions.chat(null));

            for (int doc = 0; doc < 3; doc++) {
                assertThat(chat.get(doc).conversations().get(0).get(0).content())
                        .isEqualTo(plain.get(doc).generation().context());
            }
        }
    }

    @Nested
    class IfEval {

        @Test
        void theDefaultIsZeroShotsWhateverIsAskedSoTheOneUserMessageIsThePrompt() {
            String expected = im("user", text(ifeval.get(0), "prompt")) + GENERATION_PROMPT;

            assertThat(requests("ifeval", 0, 1, ChatOptions.chat(null))
                            .get(0)
                            .generation()
                            .context())
                    .isEqualTo(expected);
            assertThat(requests("ifeval", 5, 1, ChatOptions.multiturn(null))
                            .get(0)
                            .generation()
                            .context())
                    .isEqualTo(expected);
        }

        @Test
        void aSystemInstructionComesFirst() {
            ChatPrompt prompt =
                    prompts("ifeval", 0, 1, ChatOptions.multiturn(SYSTEM)).get(0);

            assertThat(prompt.conversations())
                    .containsExactly(List.of(PromptMessage.system(SYSTEM), user(text(ifeval.get(0), "prompt"))));
        }
    }

    @Nested
    class GenPrefix {

        @Test
        void theGenPrefixIsAnAssistantPrefillTheRenderStopsAfter() {
            DocRequests plain =
                    SharedFixtures.requests(task("arc_challenge_chat"), 0, 1).get(0);
            String question = plain.generation()
                    .context()
                    .substring(0, plain.generation().context().length() - " The best answer is".length());

            ChatPrompt prompt =
                    prompts("arc_challenge_chat", 0, 1, ChatOptions.chat(null)).get(0);
            assertThat(prompt.conversations())
                    .containsExactly(List.of(user(question), assistant("The best answer is")));
            assertThat(prompt.continueFinalMessage()).isTrue();
            assertThat(requests("arc_challenge_chat", 0, 1, ChatOptions.chat(null))
                            .get(0)
                            .generation()
                            .context())
                    .isEqualTo(im("user", question) + "<|im_start|>assistant\nThe best answer is");
        }

        @Test
        void continuingTheFinalMessageKeepsTrailingSpaceOnlyWhereTheTemplateKeptIt() {
            assertThat(ChatPrompt.continueFinalMessage("<s>user: Q</s><s>assistant: Answer: </s>", "Answer: "))
                    .isEqualTo("<s>user: Q</s><s>assistant: Answer: ");
            assertThat(ChatPrompt.continueFinalMessage("<s>user: Q</s><s>assistant: Answer:</s>", "Answer: "))
                    .isEqualTo("<s>user: Q</s><s>assistant: Answer:");
            assertThatThrownBy(() -> ChatPrompt.continueFinalMessage("<s>user: Q</s>", "Answer:"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class MultipleInput {

        @Test
        void eachChoiceIsItsOwnChatAndTheSharedContinuationLosesItsDelimiter() {
            DocRequests plain =
                    SharedFixtures.requests(task("winogrande"), 0, 1).get(0);
            DocRequests chat =
                    requests("winogrande", 0, 1, ChatOptions.chat(null)).get(0);

            assertThat(chat.arguments()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                ScoringArguments before = plain.arguments().get(i);
                assertThat(chat.arguments().get(i).context())
                        .isEqualTo(im("user", before.context()) + GENERATION_PROMPT);
                // winogrande's target delimiter is the default " "
                assertThat(" " + chat.arguments().get(i).continuation()).isEqualTo(before.continuation());
            }
        }
    }

    @Test
    void fewshotAsMultiturnIsRefusedWithoutAChatTemplate() {
        assertThatThrownBy(() -> new ChatOptions(null, false, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("applyChatTemplate");
    }

    @Test
    void aChatTemplateNeedsARenderer() {
        assertThatThrownBy(() -> SharedFixtures.requests(task("arc_easy"), 0, 1, ChatOptions.chat(null), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutOptionsTheRequestsAreThoseOfThePlainBuild() {
        assertThat(SharedFixtures.requests(task("gsm8k"), 5, 2, ChatOptions.NONE, null))
                .isEqualTo(SharedFixtures.requests(task("gsm8k"), 5, 2));
    }
}
