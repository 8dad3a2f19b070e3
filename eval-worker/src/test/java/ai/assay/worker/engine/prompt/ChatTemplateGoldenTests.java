package ai.assay.worker.engine.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.chat.ChatTemplate;
import ai.assay.reference.chat.ChatTemplateException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chat templates of the model families in use (written for these tests in the style and format of each
 * family's tokenizer_config.json, under templates/), against renders worked out by hand from the template text:
 * what transformers' {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=...)} gives.
 */
class ChatTemplateGoldenTests {

    /** A local clock; Llama's template prints the day it renders on. */
    private static final Clock DECEMBER_5 = Clock.fixed(
            LocalDateTime.of(2024, 12, 5, 9, 30)
                    .atZone(ZoneId.of("Europe/Berlin"))
                    .toInstant(),
            ZoneId.of("Europe/Berlin"));

    private static final ChatMessage QUESTION = new ChatMessage("user", "What is 2+2?");
    private static final List<ChatMessage> ONE_QUESTION = List.of(QUESTION);
    private static final List<ChatMessage> WITH_SYSTEM =
            List.of(new ChatMessage("system", "You are a helpful assistant."), QUESTION);
    /** The assistant turn has spaces and a newline around it: some families trim contents, some do not. */
    private static final List<ChatMessage> MULTI_TURN = List.of(
            new ChatMessage("system", "You are terse."),
            new ChatMessage("user", "Capital of France?"),
            new ChatMessage("assistant", "  Paris.  \n"),
            new ChatMessage("user", "And of Italy?"));

    private static final List<ChatMessage> NO_SYSTEM = List.of(
            new ChatMessage("user", "Hi"),
            new ChatMessage("assistant", "Hello! How can I help?"),
            new ChatMessage("user", "Tell me a joke."));

    private static ChatTemplate family(String name) {
        TokenizerConfig config = TokenizerConfig.load(directory(name));
        return ChatTemplate.of(
                config.chatTemplate(), config.specialTokens(), config.additionalSpecialTokens(), DECEMBER_5);
    }

    static Path directory(String name) {
        try {
            return Path.of(ChatTemplateGoldenTests.class
                    .getResource("/engine/prompt/templates/" + name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void llama3() {
        ChatTemplate llama = family("llama3");
        String header = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 05 Dec 2024\n\n";
        assertThat(llama.render(ONE_QUESTION, true))
                .isEqualTo(header
                        + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(llama.render(ONE_QUESTION, false))
                .isEqualTo(header + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>");
        assertThat(llama.render(MULTI_TURN, true))
                .isEqualTo(header
                        + "You are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nCapital of France?<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nParis.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nAnd of Italy?<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
        // The date as a template variable, as transformers passes extra apply_chat_template kwargs.
        assertThat(llama.render(WITH_SYSTEM, false, false, Map.of("date_string", "26 Jul 2024")))
                .isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                        + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
                        + "You are a helpful assistant.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>");
    }

    @Test
    void llama3ContinuesATrimmedFinalMessage() {
        List<ChatMessage> prefill = List.of(QUESTION, new ChatMessage("assistant", "  The answer is"));
        assertThat(family("llama3").render(prefill, false, true, Map.of()))
                .isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                        + "Cutting Knowledge Date: December 2023\nToday Date: 05 Dec 2024\n\n"
                        + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nThe answer is");
    }

    @Test
    void qwen25() {
        ChatTemplate qwen = family("qwen2.5");
        String defaultSystem = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
                + "assistant.<|im_end|>\n";
        assertThat(qwen.render(ONE_QUESTION, true))
                .isEqualTo(defaultSystem + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(qwen.render(ONE_QUESTION, false))
                .isEqualTo(defaultSystem + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n");
        assertThat(qwen.render(WITH_SYSTEM, true))
                .isEqualTo("<|im_start|>system\nYou are a helpful assistant."
                        + "<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(qwen.render(MULTI_TURN, true))
                .isEqualTo("<|im_start|>system\nYou are terse.<|im_end|>\n"
                        + "<|im_start|>user\nCapital of France?<|im_end|>\n<|im_start|>assistant\n  Paris.  \n<|im_end|>\n"
                        + "<|im_start|>user\nAnd of Italy?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(qwen.render(NO_SYSTEM, false))
                .isEqualTo(defaultSystem
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello! How can I help?<|im_end|>\n"
                        + "<|im_start|>user\nTell me a joke.<|im_end|>\n");
        assertThat(qwen.render(List.of(), true)).isEqualTo(defaultSystem + "<|im_start|>assistant\n");
    }

    @Test
    void mistral() {
        ChatTemplate mistral = family("mistral");
        assertThat(mistral.render(ONE_QUESTION, true)).isEqualTo("<s>[INST] What is 2+2?[/INST]");
        assertThat(mistral.render(ONE_QUESTION, false)).isEqualTo("<s>[INST] What is 2+2?[/INST]");
        assertThat(mistral.render(WITH_SYSTEM, true))
                .isEqualTo("<s>[INST] You are a helpful assistant.\n\nWhat is 2+2?[/INST]");
        assertThat(mistral.render(MULTI_TURN, true))
                .isEqualTo("<s>[INST] Capital of France?[/INST]   Paris.  \n"
                        + "</s>[INST] You are terse.\n\nAnd of Italy?[/INST]");
        assertThat(mistral.render(NO_SYSTEM, false))
                .isEqualTo("<s>[INST] Hi[/INST] Hello! How can I help?</s>[INST] Tell me a joke.[/INST]");
        // The system message rides on the last user turn only: a chat ending with the assistant drops it.
        assertThat(mistral.render(
                        List.of(
                                new ChatMessage("system", "S"),
                                new ChatMessage("user", "U"),
                                new ChatMessage("assistant", "A")),
                        false))
                .isEqualTo("<s>[INST] U[/INST] A</s>");
        assertThatThrownBy(() -> mistral.render(List.of(QUESTION, QUESTION), true))
                .isInstanceOfSatisfying(
                        ChatTemplateException.class,
                        e -> assertThat(e.raisedByTemplate()).isTrue())
                .hasMessage("After the optional system message, roles must alternate user/assistant/user/...");
    }

    @Test
    void gemmaWithoutSystemRole() {
        ChatTemplate gemma = family("gemma2");
        assertThat(gemma.render(ONE_QUESTION, true))
                .isEqualTo("<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n");
        assertThat(gemma.render(ONE_QUESTION, false))
                .isEqualTo("<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n");
        assertThat(gemma.render(NO_SYSTEM, true))
                .isEqualTo("<bos><start_of_turn>user\nHi<end_of_turn>\n"
                        + "<start_of_turn>model\nHello! How can I help?<end_of_turn>\n"
                        + "<start_of_turn>user\nTell me a joke.<end_of_turn>\n<start_of_turn>model\n");
        assertThat(gemma.render(
                        List.of(new ChatMessage("user", "  Hi  "), new ChatMessage("assistant", "  Paris.  \n")),
                        false))
                .isEqualTo("<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nParis.<end_of_turn>\n");
        assertThatThrownBy(() -> gemma.render(WITH_SYSTEM, true))
                .isInstanceOfSatisfying(
                        ChatTemplateException.class,
                        e -> assertThat(e.raisedByTemplate()).isTrue())
                .hasMessage("System role not supported");
        assertThatThrownBy(() -> gemma.render(List.of(new ChatMessage("assistant", "A")), true))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("Conversation roles must alternate user/assistant/user/assistant/...");
    }

    @Test
    void gemmaFoldingTheSystemMessageIntoTheFirstTurn() {
        ChatTemplate gemma = family("gemma3");
        assertThat(gemma.render(WITH_SYSTEM, true))
                .isEqualTo("<bos><start_of_turn>user\n"
                        + "You are a helpful assistant.\n\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n");
        assertThat(gemma.render(MULTI_TURN, false))
                .isEqualTo("<bos><start_of_turn>user\nYou are terse.\n\n"
                        + "Capital of France?<end_of_turn>\n<start_of_turn>model\nParis.<end_of_turn>\n"
                        + "<start_of_turn>user\nAnd of Italy?<end_of_turn>\n");
        assertThat(gemma.render(ONE_QUESTION, false))
                .isEqualTo("<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n");
    }
}
