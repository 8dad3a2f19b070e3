package ai.assay.worker.judge.annotator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.alpacaeval.judging.PromptMessage;
import ai.assay.reference.alpacaeval.judging.PromptTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** alpaca_eval's prompt building: placeholders filled first-occurrence-first, ChatML text to chat messages. */
class PromptTemplateTests {

    @Test
    void fillsEachPlaceholderOnceInTheOrderTheyFirstAppear() {
        PromptTemplate template = PromptTemplate.of("B={output_2} I={instruction} A={output_1} {not a placeholder}");

        assertThat(template.render("q", "first", "second")).isEqualTo("B=second I=q A=first {not a placeholder}");
    }

    @Test
    void replacesTheFirstOccurrenceEvenInsideAnEarlierValueAsUpstreamDoes() {
        PromptTemplate template = PromptTemplate.of("{instruction}|{output_1}|{output_2}");

        // upstream replaces "{output_1}" in the already filled-in instruction, leaving the template's own
        assertThat(template.render("say {output_1}", "A", "B")).isEqualTo("say A|{output_1}|B");
    }

    @Test
    void refusesUnknownRepeatedOrMissingPlaceholders() {
        assertThatThrownBy(() -> PromptTemplate.of("{instruction} {output_1} {output_2} {input}"))
                .hasMessageContaining("{input}");
        assertThatThrownBy(() -> PromptTemplate.of("{output_1} {output_2} {output_1}"))
                .hasMessageContaining("2 times");
        assertThatThrownBy(() -> PromptTemplate.of("{instruction} {output_1}")).hasMessageContaining("lacks");
    }

    @Test
    void turnsChatMlTextIntoMessages() {
        String prompt = """

                <|im_start|>system
                  Be fair.\u00a0
                <|im_end|>
                <|im_start|>system name=example_user
                Which is better?
                <|im_end|>
                <|im_start|>assistant
                m
                <|im_end|>
                <|im_start|>user
                Now this one.
                <|im_end|>
                """;

        List<PromptMessage> messages = PromptTemplate.toChatMessages(prompt);

        assertThat(messages)
                .containsExactly(
                        new PromptMessage("system", "Be fair.", null),
                        new PromptMessage("system", "Which is better?", "example_user"),
                        new PromptMessage("assistant", "m", null),
                        new PromptMessage("user", "Now this one.", null));
    }

    @Test
    void refusesTextThatIsNotChatMl() {
        assertThatThrownBy(() -> PromptTemplate.toChatMessages("Which is better, {output_1} or {output_2}?"))
                .hasMessageContaining("must start with <|im_start|>");
    }
}
