package ai.assay.core.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.task.OptionSpec;
import ai.assay.core.task.OptionsRule;
import ai.assay.core.validation.Violation;
import ai.assay.reference.lmeval.ChatOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The chat-template options every lm-eval task offers, their defaults and their reading from stored options. */
class LmEvalOptionsTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static Map<String, JsonNode> defaults(List<OptionSpec> specs) {
        return specs.stream()
                .filter(s -> List.of(
                                LmEvalOptions.APPLY_CHAT_TEMPLATE,
                                LmEvalOptions.FEWSHOT_AS_MULTITURN,
                                LmEvalOptions.SYSTEM_INSTRUCTION)
                        .contains(s.name()))
                .collect(Collectors.toMap(
                        OptionSpec::name, s -> s.defaultValue() == null ? MAPPER.nullNode() : s.defaultValue()));
    }

    @Test
    void everyTaskAndEveryGenerationTaskOffersTheThreeChatOptionsOffByDefault() {
        List<OptionSpec> multipleChoice = LmEvalOptions.specs(true, 0);
        List<OptionSpec> generation = LmEvalOptions.generationSpecs(
                false, 0, GenerationSettings.ofTask(256, false, 0.0, List.of("Question:")));

        for (List<OptionSpec> specs : List.of(multipleChoice, generation)) {
            Map<String, JsonNode> defaults = defaults(specs);
            assertThat(defaults).containsOnlyKeys("applyChatTemplate", "fewshotAsMultiturn", "systemInstruction");
            assertThat(defaults.get("applyChatTemplate").booleanValue()).isFalse();
            assertThat(defaults.get("fewshotAsMultiturn").booleanValue()).isFalse();
            assertThat(defaults.get("systemInstruction").isNull()).isTrue();
        }
    }

    @Test
    void storedOptionsGiveThePromptOptions() {
        LmEvalOptions options = LmEvalOptions.of(MAPPER.readTree(
                "{\"applyChatTemplate\": true, \"fewshotAsMultiturn\": true, \"systemInstruction\": \"Be brief.\"}"));

        assertThat(options.chat()).isEqualTo(ChatOptions.multiturn("Be brief."));
        assertThat(LmEvalOptions.of(MAPPER.readTree("{}")).chat()).isEqualTo(ChatOptions.NONE);
    }

    @Test
    void fewshotAsMultiturnWithoutAChatTemplateIsRefused() {
        LmEvalOptions options = LmEvalOptions.of(MAPPER.readTree("{\"fewshotAsMultiturn\": true}"));

        assertThatThrownBy(options::chat)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewshotAsMultiturn needs applyChatTemplate");
    }

    @Test
    void theRulesRefuseMultiturnWithoutATemplateAndATemplateWithoutAModelAtTheirOptions() {
        List<Violation> violations = new ArrayList<>();
        for (String options : List.of(
                "{\"fewshotAsMultiturn\": true, \"applyChatTemplate\": false}",
                "{\"applyChatTemplate\": true, \"outputs\": [{\"doc_id\": 0, \"response\": \"4\"}]}",
                "{\"applyChatTemplate\": true, \"fewshotAsMultiturn\": true}",
                "{\"outputs\": [{\"doc_id\": 0, \"response\": \"4\"}]}")) {
            for (OptionsRule rule : LmEvalOptions.rules()) {
                rule.check((ObjectNode) MAPPER.readTree(options), "/tasks/0", violations);
            }
        }

        assertThat(violations)
                .extracting(Violation::pointer)
                .containsExactly("/tasks/0/fewshotAsMultiturn", "/tasks/0/applyChatTemplate");
    }
}
