package ai.assay.reference.alpacaeval.judging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class LogprobParserTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final LogprobParser WEIGHTED = LogprobParser.weightedAlpacaEval();

    static List<String> modelsWithRawCompletions() {
        return AlpacaEvalFixtures.MODELS_WITH_RAW_COMPLETIONS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelsWithRawCompletions")
    void parserVectorsOfExpectedJson(String model) {
        JsonNode parsing = AlpacaEvalFixtures.expected().get("judge_parsing").get(model);
        for (String group : List.of("first_20_rows", "rows_with_a_token_missing_from_top5")) {
            for (JsonNode row : parsing.get(group)) {
                if (row.get("output_1_equals_output_2").booleanValue()) {
                    continue;
                }
                Double shown = WEIGHTED.parseSingle(choiceWith(row.get("top_logprobs")));
                assertThat(shown).as("row %s", row.get("row")).isNotNull();
                assertThat(shown).isCloseTo(row.get("preference_shown_order").doubleValue(), within(1e-10));
                boolean switched = OutputOrder.isSwitched(row.get("instruction").stringValue());
                assertThat(switched).isEqualTo(row.get("switched").booleanValue());
                Double preference = OutputOrder.toOriginalOrder(shown, switched);
                assertThat(preference).isCloseTo(row.get("preference_computed").doubleValue(), within(1e-10));
                assertThat(preference).isCloseTo(row.get("preference_stored").doubleValue(), within(6e-11));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelsWithRawCompletions")
    void everyStoredPreferenceFollowsFromItsRawCompletion(String model) {
        JsonNode parsing = AlpacaEvalFixtures.expected().get("judge_parsing").get(model);
        int checked = 0;
        double largestDifference = 0;
        for (HeadToHeadAnnotation annotation : AlpacaEvalFixtures.annotations(model)) {
            if (annotation.rawCompletion() == null) {
                assertThat(annotation.preference()).isEqualTo(1.5); // identical outputs are not sent to the judge
                continue;
            }
            Double shown = WEIGHTED.parseSingle(annotation.rawCompletion());
            Double preference = OutputOrder.toOriginalOrder(shown, OutputOrder.isSwitched(annotation.instruction()));
            assertThat(preference).isNotNull();
            largestDifference = Math.max(largestDifference, Math.abs(preference - annotation.preference()));
            checked++;
        }
        assertThat(checked).isEqualTo(parsing.get("all_rows_checked").intValue());
        assertThat(largestDifference).isLessThanOrEqualTo(6e-11);
    }

    @Test
    void anAbsentTokenHasProbabilityZeroAndNoTokenGivesNoPreference() {
        assertThat(WEIGHTED.parseSingle(choiceOf("M", -0.1, "The", -3.0))).isEqualTo(2.0);
        assertThat(WEIGHTED.parseSingle(choiceOf("m", -0.1, "The", -3.0))).isEqualTo(1.0);
        assertThat(WEIGHTED.parseSingle(choiceOf("The", -0.1, " m", -3.0, "MM", -4.0)))
                .isNull();
        assertThat(WEIGHTED.parse(choiceOf("The", -0.1))).containsExactly((Double) null);
    }

    @Test
    void probabilitiesAreNormalisedOverTheDenominatorTokens() {
        // P(m) = e^-1 / (e^-1 + e^-2)
        double expected = 2 - Math.exp(-1) / (Math.exp(-1) + Math.exp(-2));
        assertThat(WEIGHTED.parseSingle(choiceOf("m", -1.0, "x", -1.5, "M", -2.0)))
                .isCloseTo(expected, within(1e-15));
        // a repeated token: the last entry wins, as in upstream's dict comprehension
        assertThat(WEIGHTED.parseSingle(choiceOf("m", -5.0, "M", -2.0, "m", -1.0)))
                .isCloseTo(expected, within(1e-15));
    }

    @Test
    void binarisedPreferenceAsksWhetherTheNumeratorBeatsEveryOtherToken() {
        LogprobParser binary = new LogprobParser("m", List.of("m", "M"), true);
        assertThat(binary.parseSingle(choiceOf("m", -0.5, "M", -1.0))).isEqualTo(1.0);
        assertThat(binary.parseSingle(choiceOf("m", -1.0, "M", -0.5))).isEqualTo(2.0);
        assertThat(binary.parseSingle(choiceOf("m", -1.0, "M", -1.0))).isEqualTo(2.0);
        assertThat(binary.parseSingle(choiceOf("m", -1.0))).isEqualTo(1.0);
    }

    @Test
    void batchModeGivesOnePreferencePerPositionAndAnIndexPicksOne() {
        ObjectNode choice = MAPPER.createObjectNode();
        ArrayNode content = choice.putObject("logprobs").putArray("content");
        content.add(position("m", -0.1, "M", -5.0));
        content.add(position("M", -0.1, "m", -5.0));
        content.add(position("A", -0.1));

        List<Double> batch = WEIGHTED.parse(choice);
        assertThat(batch).hasSize(3);
        assertThat(batch.get(0)).isLessThan(1.01);
        assertThat(batch.get(1)).isGreaterThan(1.99);
        assertThat(batch.get(2)).isNull();

        assertThat(new LogprobParser("m", List.of("m", "M"), false, -2).parse(choice))
                .containsExactly(batch.get(1));
        assertThat(CompletionParsing.orMissing(() -> WEIGHTED.parse(choice), 1)).containsExactly((Double) null);
    }

    @Test
    void aCompletionWithoutLogprobsIsAnErrorThatTheAnnotatorTurnsIntoNoPreference() {
        JsonNode noLogprobs = MAPPER.readTree("{\"message\": {\"content\": \"m\"}, \"logprobs\": null}");
        assertThatThrownBy(() -> WEIGHTED.parse(noLogprobs)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WEIGHTED.parseSingle(noLogprobs)).isNull();
        assertThat(WEIGHTED.parseSingle(MAPPER.readTree("{\"logprobs\": {\"content\": []}}")))
                .isNull();
    }

    private static JsonNode choiceWith(JsonNode topLogprobs) {
        ObjectNode choice = MAPPER.createObjectNode();
        ArrayNode content = choice.putObject("logprobs").putArray("content");
        content.addObject().set("top_logprobs", topLogprobs);
        return choice;
    }

    private static JsonNode choiceOf(Object... tokensAndLogprobs) {
        ObjectNode choice = MAPPER.createObjectNode();
        choice.putObject("logprobs").putArray("content").add(position(tokensAndLogprobs));
        return choice;
    }

    private static ObjectNode position(Object... tokensAndLogprobs) {
        ObjectNode position = MAPPER.createObjectNode();
        ArrayNode top = position.putArray("top_logprobs");
        for (int i = 0; i < tokensAndLogprobs.length; i += 2) {
            top.addObject().put("token", (String) tokensAndLogprobs[i]).put("logprob", (Double)
                    tokensAndLogprobs[i + 1]);
        }
        return position;
    }
}
