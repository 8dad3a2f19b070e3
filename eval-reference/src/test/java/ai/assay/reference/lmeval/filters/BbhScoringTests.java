package ai.assay.reference.lmeval.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BBH's chain-of-thought task files as lm-eval scores them, on the targets of real test rows. The few-shot
 * template's {@code get-answer} is the first finding of {@code (?<=the answer is )(.*)(?=.)}: what follows the
 * lower-case phrase to the end of its line, less the line's last character; its {@code exact_match} compares
 * as written. Generation stops at {@code </s>}, {@code Q} and a blank line, in that order.
 */
@RequiresSharedFixtures
class BbhScoringTests {

    private static final String FEWSHOT = "bbh/cot_fewshot/_cot_fewshot_template_yaml";

    private static final List<String> FEWSHOT_STOPS = List.of("</s>", "Q", "\n\n");

    private static final GenerateUntilScoring BBH_FEWSHOT =
            GenerateUntilScoring.fromYaml(FixtureTaskFiles.filterList(FEWSHOT), FixtureTaskFiles.metricList(FEWSHOT));

    /** date_understanding's test row 0 (Christmas Eve of 1937): {@code (B)}. */
    private static final String DATE_TARGET = (String) FixtureTaskFiles.rows("SaylorTwift/bbh/date_understanding/test")
            .get(0)
            .get("target");

    /** boolean_expressions' test row 0 ({@code not ( True ) and ( True ) is}): {@code False}. */
    private static final String BOOLEAN_TARGET =
            (String) FixtureTaskFiles.rows("SaylorTwift/bbh/boolean_expressions/test")
                    .get(0)
                    .get("target");

    private static GenerationDocScore fewshot(String target, String generated) {
        return BBH_FEWSHOT.score(target, List.of(GeneratedText.cutAtStopSequences(generated, FEWSHOT_STOPS)));
    }

    @Test
    void theFixtureTargetsAreTheOnesTheseTestsExpect() {
        assertThat(DATE_TARGET).isEqualTo("(B)");
        assertThat(BOOLEAN_TARGET).isEqualTo("False");
    }

    @Test
    void aParenthesisedLetterBeforeTheFinalPeriodMatches() {
        GenerationDocScore score = fewshot(DATE_TARGET, "Tomorrow is 12/25/1937. So the answer is (B).");

        assertThat(score.filteredResponse("get-answer")).isEqualTo("(B)");
        assertThat(score.byResultKey()).containsExactly(entry("exact_match,get-answer", 1.0));
    }

    @Test
    void theLastCharacterIsDroppedWhateverItIs() {
        // Without a period the closing parenthesis goes; with a space after it the period stays (PR #2013).
        assertThat(fewshot(DATE_TARGET, "So the answer is (B)").filteredResponse("get-answer"))
                .isEqualTo("(B");
        assertThat(fewshot(DATE_TARGET, "So the answer is (B). ").filteredResponse("get-answer"))
                .isEqualTo("(B).");
        assertThat(fewshot(DATE_TARGET, "So the answer is (B)").byResultKey().values())
                .containsExactly(0.0);
        assertThat(fewshot(DATE_TARGET, "So the answer is (B). ").byResultKey().values())
                .containsExactly(0.0);
    }

    @Test
    void theLookbehindIsCaseSensitive() {
        GenerationDocScore score = fewshot(DATE_TARGET, "The answer is (B).");

        assertThat(score.filteredResponse("get-answer")).isEqualTo("[invalid]");
        assertThat(score.byResultKey().values()).containsExactly(0.0);
    }

    @Test
    void theNextQuestionIsCutOffAtTheBlankLine() {
        GenerationDocScore score = fewshot(
                DATE_TARGET,
                "Christmas Eve is 12/24/1937, so tomorrow is 12/25/1937. So the answer is (B).\n\nQ: Today is");

        assertThat(score.filteredResponse("get-answer")).isEqualTo("(B)");
        assertThat(score.byResultKey().values()).containsExactly(1.0);
    }

    @Test
    void anyCapitalQStopsTheGeneration() {
        String cut =
                GeneratedText.cutAtStopSequences("Queen Mary sailed on 12/24. So the answer is (B).", FEWSHOT_STOPS);

        assertThat(cut).isEmpty();
        assertThat(BBH_FEWSHOT.score(DATE_TARGET, List.of(cut)).filteredResponse("get-answer"))
                .isEqualTo("[invalid]");
    }

    @Test
    void theFirstOccurrenceOfThePhraseIsTaken() {
        GenerationDocScore score =
                fewshot(BOOLEAN_TARGET, "If the answer is True we would see it. So the answer is False.");

        assertThat(score.filteredResponse("get-answer")).isEqualTo("True we would see it. So the answer is False");
        assertThat(score.byResultKey().values()).containsExactly(0.0);
    }

    private static final String ZEROSHOT_BOOLEAN = "bbh/cot_zeroshot/boolean_expressions.yaml";

    /** The subtask's own two filters with the template's metric (ignore_case; remove {@code .$ , \ \n "}). */
    private static final GenerateUntilScoring BBH_ZEROSHOT_BOOLEAN = GenerateUntilScoring.fromYaml(
            FixtureTaskFiles.filterList(ZEROSHOT_BOOLEAN), FixtureTaskFiles.metricList(ZEROSHOT_BOOLEAN));

    @Test
    void theZeroshotStrictPatternTakesTheFirstNonEmptyGroupOfItsTuple() {
        // Five groups: the outer one and one per alternative; findall gives ('False', '', 'False', '', '').
        GenerationDocScore score = BBH_ZEROSHOT_BOOLEAN.score(
                BOOLEAN_TARGET,
                List.of("not ( True ) = False. Then False and ( True ) = False. So the answer is False."));

        assertThat(score.byResultKey())
                .containsExactly(entry("exact_match,flexible-extract", 1.0), entry("exact_match,strict-match", 1.0));
        assertThat(score.filteredResponse("strict-match")).isEqualTo("False");
        assertThat(score.filteredResponse("flexible-extract")).isEqualTo("False");
    }

    @Test
    void theZeroshotMetricIgnoresCaseQuotesAndBackslashes() {
        GenerationDocScore quoted = BBH_ZEROSHOT_BOOLEAN.score(BOOLEAN_TARGET, List.of("The answer is \"FALSE\"."));
        // `.*` cannot cross the newline and `(?=.)` needs a character before it: the comma is left out.
        GenerationDocScore escaped =
                BBH_ZEROSHOT_BOOLEAN.score(BOOLEAN_TARGET, List.of("So the answer is \\false\\,\n"));

        assertThat(quoted.filteredResponse("strict-match")).isEqualTo("\"FALSE\"");
        assertThat(quoted.filteredResponse("flexible-extract")).isEqualTo("[invalid]");
        assertThat(quoted.byResultKey())
                .containsExactly(entry("exact_match,flexible-extract", 0.0), entry("exact_match,strict-match", 1.0));
        assertThat(escaped.filteredResponse("strict-match")).isEqualTo("\\false\\");
        assertThat(escaped.byResultKey().values()).containsExactly(0.0, 1.0);
    }

    @Test
    void theZeroshotFlexibleFilterTakesTheLastTrueOrFalse() {
        GenerationDocScore score =
                BBH_ZEROSHOT_BOOLEAN.score(BOOLEAN_TARGET, List.of("True and False gives False; the answer is True."));

        assertThat(score.filteredResponse("flexible-extract")).isEqualTo("True");
        assertThat(score.filteredResponse("strict-match")).isEqualTo("True");
        assertThat(score.byResultKey().values()).containsExactly(0.0, 0.0);
    }

    @Test
    void aTasksOwnFilterFunctionIsRefusedByName() {
        assertThatThrownBy(() -> GenerateUntilScoring.fromYaml(
                        FixtureTaskFiles.filterList("bbh/cot_zeroshot/date_understanding.yaml"),
                        FixtureTaskFiles.metricList("bbh/cot_zeroshot/date_understanding.yaml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flexible-extract")
                .hasMessageContaining("!function utils.MultiChoiceRegexFilter");
        assertThatThrownBy(() -> FilterPipeline.listFromYaml(FixtureTaskFiles.filterList("humaneval/humaneval.yaml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("!function utils.build_predictions");
    }

    private static final String ZEROSHOT_DATE = "bbh/cot_zeroshot/date_understanding.yaml";

    /** date_understanding's test row 0: options (A) 12/11/1937 to (F) 07/25/1937, target (B). */
    private static final Map<String, Object> DATE_ROW =
            FixtureTaskFiles.rows("SaylorTwift/bbh/date_understanding/test").get(0);

    private static GenerationDocScore zeroshotDate(String response) {
        return GenerateUntilScoring.fromYaml(
                        FixtureTaskFiles.filterList(ZEROSHOT_DATE),
                        FixtureTaskFiles.metricList(ZEROSHOT_DATE),
                        BbhZeroshotFilters.KNOWN)
                .score(DATE_ROW, DATE_ROW.get("target"), List.of(response));
    }

    @Test
    void theMultipleChoiceFilterTakesTheLastParenthesisedLetter() {
        assertThat(zeroshotDate("Tomorrow is 12/25/1937, so the answer is (B).").byResultKey())
                .containsExactly(entry("exact_match,flexible-extract", 1.0), entry("exact_match,strict-match", 1.0));
        GenerationDocScore twoLetters = zeroshotDate("(A) is wrong and (B) is right");
        assertThat(twoLetters.filteredResponse("flexible-extract")).isEqualTo("(B)");
        assertThat(twoLetters.filteredResponse("strict-match")).isEqualTo("[invalid]");
    }

    @Test
    void withoutALetterTheMultipleChoiceFilterLooksForAnOptionsText() {
        // Normalized, the options are 12111937, 12251937, ...; the last one the response names is (B)'s.
        GenerationDocScore named = zeroshotDate("It is 12/11/1937 or maybe 12/25/1937");

        assertThat(named.filteredResponse("flexible-extract")).isEqualTo("(B)");
        assertThat(named.byResultKey().values()).containsExactly(1.0, 0.0);
    }

    @Test
    void lastlyTheMultipleChoiceFilterTakesABareLetterAfterAColon() {
        assertThat(zeroshotDate("My final choice: B").filteredResponse("flexible-extract"))
                .isEqualTo("(B)");
        assertThat(zeroshotDate("No idea").filteredResponse("flexible-extract")).isEqualTo("[invalid]");
    }

    @Test
    void aFunctionTheZeroshotUtilsLackIsRefusedByNameAndItsDirectoryMayPrefixAKnownOne() {
        assertThatThrownBy(() -> FilterPipeline.listFromYaml(
                        List.of(Map.of(
                                "name",
                                "flexible-extract",
                                "filter",
                                List.of(Map.of("function", new FunctionRef("utils.SortedWordsFilter"))))),
                        BbhZeroshotFilters.KNOWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("!function utils.SortedWordsFilter");
        assertThat(FilterPipeline.listFromYaml(
                                FixtureTaskFiles.filterList("bbh/cot_zeroshot/date_understanding.yaml"),
                                (function, kwargs) -> BbhZeroshotFilters.KNOWN.step(
                                        new FunctionRef("bbh/cot_zeroshot:" + function.key()), kwargs))
                        .get(0)
                        .steps()
                        .get(0))
                .isEqualTo(BbhZeroshotFilters.MultiChoiceRegex.fromKwargs(Map.of(
                        "group_select",
                        -1,
                        "ignore_case",
                        true,
                        "ignore_punctuation",
                        true,
                        "regex_pattern",
                        "(\\([A-Z]\\))")));
    }
}
