package ai.assay.worker.engine.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.chat.ChatTemplate;
import ai.assay.reference.chat.ChatTemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Java renderer against Jinja2 itself: each case of jinja2-features.json holds a template, its inputs and the
 * output (or error) that Jinja2 3.1.6 gave when set up as transformers sets it up; render_with_jinja2.py beside the
 * file printed it.
 */
class ChatTemplateFeatureTests {

    /** The time render_with_jinja2.py fixes for strftime_now. */
    static final Clock FIXED =
            Clock.fixed(LocalDateTime.of(2024, 7, 26, 14, 5, 9, 123_456_000).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestFactory
    Stream<DynamicTest> rendersLikeJinja2() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/engine/prompt/jinja2-features.json")) {
            root = JSON.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode testCase : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(testCase.get("name").stringValue(), () -> check(testCase)));
        }
        return tests.stream();
    }

    private static void check(JsonNode testCase) {
        String template = testCase.get("template").stringValue();
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : testCase.get("messages")) {
            messages.add(new ChatMessage(
                    message.get("role").stringValue(), message.get("content").stringValue()));
        }
        Map<String, Object> variables =
                JSON.convertValue(testCase.get("variables"), new TypeReference<Map<String, Object>>() {});
        if (testCase.has("error")) {
            assertThatThrownBy(() -> ChatTemplate.of(template, Map.of(), List.of(), FIXED)
                            .render(messages, false, false, variables))
                    .isInstanceOfSatisfying(
                            ChatTemplateException.class,
                            e -> assertThat(e.raisedByTemplate()).isTrue())
                    .hasMessage(testCase.get("error").stringValue());
            return;
        }
        String rendered =
                ChatTemplate.of(template, Map.of(), List.of(), FIXED).render(messages, false, false, variables);
        assertThat(rendered).isEqualTo(testCase.get("expected").stringValue());
    }
}
