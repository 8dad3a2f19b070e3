package ai.assay.worker.judge;

import static ai.assay.worker.judge.JudgeStubs.chatContaining;
import static ai.assay.worker.judge.JudgeStubs.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Upstream's own judge answers, replayed: a WireMock judge answers each example with the log-probabilities that
 * alpaca_eval stored for it ({@code raw_completion} of the fixture's annotations), and the service must arrive at
 * upstream's stored preference and output order (the fixture's {@code judge_parsing} vectors).
 */
class JudgeConformanceTests {

    @RegisterExtension
    static final JudgeFixture fixture = new JudgeFixture();

    @ParameterizedTest
    @ValueSource(strings = {"claude-2", "gpt4_gamed"})
    void reproducesUpstreamPreferencesFromItsRawCompletions(String model) {
        JsonNode parsing = AlpacaEvalFixtures.expected().get("judge_parsing").get(model);
        List<JsonNode> vectors = new ArrayList<>();
        parsing.get("first_20_rows").forEach(vectors::add);
        parsing.get("rows_with_a_token_missing_from_top5").forEach(vectors::add);
        List<HeadToHeadAnnotation> annotations = AlpacaEvalFixtures.annotations(model);

        List<JudgeItem> items = new ArrayList<>();
        Map<String, JsonNode> expected = new HashMap<>();
        for (JsonNode vector : vectors) {
            int row = vector.get("row").asInt();
            HeadToHeadAnnotation annotation = annotations.get(row);
            assertThat(annotation.instruction())
                    .isEqualTo(vector.get("instruction").asString());
            String id = model + "-" + row;
            items.add(new JudgeItem(
                    id,
                    annotation.instruction(),
                    annotation.output1(),
                    annotation.generator1(),
                    annotation.output2(),
                    annotation.generator2()));
            expected.put(id, vector);
            if (annotation.rawCompletion() != null) {
                fixture.server.stubFor(chatContaining(annotation.instruction())
                        .willReturn(ok(JudgeStubs.answerWithLogprobs(
                                annotation.rawCompletion().path("text").asString("m"),
                                annotation.rawCompletion().get("logprobs")))));
            }
        }

        List<JudgeResult> results = new ArrayList<>();
        fixture.service(4).judge("test_judge", items, JudgeBudget.unlimited(), results::add, () -> {});

        assertThat(results).hasSize(items.size());
        for (JudgeResult result : results) {
            JsonNode vector = expected.get(result.item().exampleId());
            if (vector.path("output_1_equals_output_2").asBoolean(false)) {
                assertThat(result.preference()).isEqualTo(1.5);
                continue;
            }
            assertThat(result.modelShownFirst())
                    .as("switched, row %s", vector.get("row"))
                    .isEqualTo(vector.get("switched").asBoolean());
            assertThat(result.preference())
                    .as("preference, row %s", vector.get("row"))
                    .isCloseTo(vector.get("preference_computed").asDouble(), within(1e-10))
                    .isCloseTo(vector.get("preference_stored").asDouble(), within(6e-11));
        }
    }
}
