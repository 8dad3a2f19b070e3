package ai.assay.reference.lmeval.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GSM8K's three task files as lm-eval scores them, on the targets of real test rows. Each expected value follows
 * from upstream's code: {@code strict-match} is the first {@code re.findall} of its pattern, {@code flexible-extract}
 * the last finding of {@code (-?[$0-9.,]{2,})|(-?[0-9]+)} (a tuple: its first non-empty group), both stripped; then
 * {@code exact_match} removes {@code ,}, {@code $}, everything up to the last {@code "#### "} and a final {@code .}
 * from both sides and lower-cases them.
 */
@RequiresSharedFixtures
class Gsm8kScoringTests {

    /** Test row 0 (Janet's ducks): the full answer, reasoning and {@code #### 18}, gsm8k.yaml's target. */
    private static final String JANET =
            (String) FixtureTaskFiles.rows("openai/gsm8k/main/test").get(0).get("answer");

    /** Test row 2 (flipping a house): its answer ends {@code #### 70000}. */
    private static final String PROFIT =
            (String) FixtureTaskFiles.rows("openai/gsm8k/main/test").get(2).get("answer");

    private static final GenerateUntilScoring GSM8K = GenerateUntilScoring.fromYaml(
            FixtureTaskFiles.filterList("gsm8k/gsm8k.yaml"), FixtureTaskFiles.metricList("gsm8k/gsm8k.yaml"));

    private static final GenerateUntilScoring GSM8K_COT = GenerateUntilScoring.fromYaml(
            FixtureTaskFiles.filterList("gsm8k/gsm8k-cot.yaml"), FixtureTaskFiles.metricList("gsm8k/gsm8k-cot.yaml"));

    private static final String SELF_CONSISTENCY = "gsm8k/gsm8k-cot-self-consistency.yaml";

    @Test
    void theFixtureRowsAreTheOnesTheseTestsExpect() {
        assertThat(JANET)
                .startsWith("Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.")
                .endsWith("\n#### 18");
        assertThat(PROFIT).endsWith("#### 70000");
    }

    @Test
    void aWellFormedAnswerMatchesUnderBothFiltersAgainstTheFullTargetAnswer() {
        GenerationDocScore score = GSM8K.score(
                JANET,
                List.of("Janet sells 16 - 3 - 4 = 9 duck eggs a day.\nShe makes 9 * 2 = $18 every day.\n#### 18"));

        // The target's calculator annotations, `$` and `#### ` are removed: the reference is "18".
        assertThat(score.byResultKey())
                .containsExactly(entry("exact_match,strict-match", 1.0), entry("exact_match,flexible-extract", 1.0));
        assertThat(score.filteredResponse("strict-match")).isEqualTo("18");
        // The last finding is ('18', ''): its first non-empty group.
        assertThat(score.filteredResponse("flexible-extract")).isEqualTo("18");
    }

    @Test
    void flexibleExtractTakesTheLastNumberOfSeveral() {
        GenerationDocScore score = GSM8K.score(
                JANET, List.of("She has 16 eggs, eats 3, bakes 4 and sells 9 for $18 in total, about 2 dozen."));

        assertThat(score.filteredResponse("strict-match")).isEqualTo("[invalid]");
        // "3," is a finding of the first group (two characters of [$0-9.,]); the last finding is ('', '2').
        assertThat(score.filteredResponse("flexible-extract")).isEqualTo("2");
        assertThat(score.byResultKey())
                .containsExactly(entry("exact_match,strict-match", 0.0), entry("exact_match,flexible-extract", 0.0));
    }

    @Test
    void aResponseWithoutANumberFallsBackToInvalid() {
        GenerationDocScore score = GSM8K.score(JANET, List.of("I don't know."));

        assertThat(score.filteredResponse("strict-match")).isEqualTo("[invalid]");
        assertThat(score.filteredResponse("flexible-extract")).isEqualTo("[invalid]");
        assertThat(score.byResultKey().values()).containsExactly(0.0, 0.0);
    }

    @Test
    void aTrailingPeriodIsIgnoredButTrailingZerosAreNot() {
        GenerationDocScore period = GSM8K.score(JANET, List.of("#### 18."));
        GenerationDocScore decimals = GSM8K.score(JANET, List.of("#### 18.00"));

        // The class [0-9\.\,] takes the period; "\.$" removes it before the comparison.
        assertThat(period.filteredResponse("strict-match")).isEqualTo("18.");
        assertThat(period.byResultKey().values()).containsExactly(1.0, 1.0);
        assertThat(decimals.filteredResponse("strict-match")).isEqualTo("18.00");
        assertThat(decimals.byResultKey().values()).containsExactly(0.0, 0.0);
    }

    @Test
    void aNegativeNumberKeepsItsSign() {
        GenerationDocScore score = GSM8K.score(JANET, List.of("#### -18"));

        assertThat(score.filteredResponse("strict-match")).isEqualTo("-18");
        assertThat(score.filteredResponse("flexible-extract")).isEqualTo("-18");
        assertThat(score.byResultKey().values()).containsExactly(0.0, 0.0);
    }

    @Test
    void aDollarAmountWithThousandsSeparatorsIsCleanedOnlyByTheMetric() {
        GenerationDocScore score = GSM8K.score(JANET, List.of("The answer is $1,234."));

        // The filter keeps "$1,234." whole; the metric's regexes would make it "1234", which is not 18.
        assertThat(score.filteredResponse("flexible-extract")).isEqualTo("$1,234.");
        assertThat(score.filteredResponse("strict-match")).isEqualTo("[invalid]");
        assertThat(score.byResultKey().values()).containsExactly(0.0, 0.0);
    }

    @Test
    void aResponseThatRunsPastAStopStringIsScoredOnWhatComesBeforeIt() {
        String generated = " Janet sells 9 eggs.\n#### 18\n\nQuestion: A robe takes 2 bolts.\nAnswer: #### 3";
        String cut = GeneratedText.cutAtStopSequences(generated, List.of("Question:", "</s>", "<|im_end|>"));

        assertThat(cut).isEqualTo(" Janet sells 9 eggs.\n#### 18\n\n");
        assertThat(GSM8K.score(JANET, List.of(cut)).byResultKey().values()).containsExactly(1.0, 1.0);
        // Uncut, flexible-extract would take the next question's 3.
        assertThat(GSM8K.score(JANET, List.of(generated)).filteredResponse("flexible-extract"))
                .isEqualTo("3");
    }

    @Test
    void gsm8kCotsStrictPatternRefusesADollarSignThatFlexibleExtractAccepts() {
        // gsm8k-cot.yaml's target: the text after the last "####", stripped. It stays a str: lm-eval reads a digit
        // target as an int only for a task with doc_to_choice.
        String target = PROFIT.substring(PROFIT.lastIndexOf("####") + 4).strip();
        assertThat(target).isEqualTo("70000");

        GenerationDocScore plain = GSM8K_COT.score(
                target, List.of("So he made a profit of 200000 - 130000 = 70,000. The answer is 70,000."));
        GenerationDocScore dollars = GSM8K_COT.score(target, List.of("The answer is $70,000."));

        // "The answer is (\-?[0-9\.\,]+)." needs one character after the group: the group gives back the period.
        assertThat(plain.filteredResponse("strict-match")).isEqualTo("70,000");
        assertThat(plain.filteredResponse("flexible-extract")).isEqualTo("70,000.");
        assertThat(plain.byResultKey())
                .containsExactly(entry("exact_match,strict-match", 1.0), entry("exact_match,flexible-extract", 1.0));
        assertThat(dollars.filteredResponse("strict-match")).isEqualTo("[invalid]");
        assertThat(dollars.filteredResponse("flexible-extract")).isEqualTo("$70,000.");
        assertThat(dollars.byResultKey().values()).containsExactly(0.0, 1.0);
    }

    @Test
    void aNegativeDecimalIsComparedAsWritten() {
        GenerationDocScore score = GSM8K_COT.score("70000", List.of("The answer is -70000.5."));

        assertThat(score.filteredResponse("strict-match")).isEqualTo("-70000.5");
        assertThat(score.filteredResponse("flexible-extract")).isEqualTo("-70000.5.");
        assertThat(score.byResultKey().values()).containsExactly(0.0, 0.0);
    }

    @Test
    void selfConsistencyVotesOverTheRepeatsAndATieGoesToTheFirstSeen() {
        GenerateUntilScoring scoring = GenerateUntilScoring.fromYaml(
                FixtureTaskFiles.filterList(SELF_CONSISTENCY), FixtureTaskFiles.metricList(SELF_CONSISTENCY));
        // The first eight: 18, 16 and "[invalid]" twice each. Counter.most_common(1) is max() over the counts in
        // insertion order, so 18, seen first of the three, wins maj@8. Over all 64, 16 leads 32 to 28.
        List<String> responses = new ArrayList<>(List.of(
                "The answer is 17.",
                "The answer is 18.",
                "The answer is 16.",
                "The answer is 18.",
                "The answer is 16.",
                "I cannot tell.",
                "No idea.",
                "The answer is 19."));
        responses.addAll(Collections.nCopies(30, "The answer is 16."));
        responses.addAll(Collections.nCopies(26, "The answer is 18."));

        GenerationDocScore score = scoring.score(JANET.substring(JANET.lastIndexOf("#### ") + 5), responses);

        assertThat(score.byResultKey())
                .containsExactly(
                        entry("exact_match,score-first", 0.0),
                        entry("exact_match,maj@64", 0.0),
                        entry("exact_match,maj@8", 1.0));
        assertThat(score.filteredResponse("score-first")).isEqualTo("17");
        assertThat(score.filteredResponse("maj@64")).isEqualTo("16");
        assertThat(score.filteredResponse("maj@8")).isEqualTo("18");
    }

    @Test
    void takingTheFirstEightNeedsEightRepeats() {
        GenerateUntilScoring scoring = GenerateUntilScoring.fromYaml(
                FixtureTaskFiles.filterList(SELF_CONSISTENCY), FixtureTaskFiles.metricList(SELF_CONSISTENCY));

        assertThatThrownBy(() -> scoring.score("18", Collections.nCopies(7, "The answer is 18.")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Need at least 8 responses per doc to take first 8, but got 7");
    }

    @Test
    void theTaskFilesFiltersAreBuiltAsWritten() {
        List<FilterPipeline> pipelines = FilterPipeline.listFromYaml(FixtureTaskFiles.filterList("gsm8k/gsm8k.yaml"));

        assertThat(pipelines).extracting(FilterPipeline::name).containsExactly("strict-match", "flexible-extract");
        assertThat(pipelines.get(0).steps())
                .containsExactly(
                        FilterStep.Regex.of("#### (\\-?[0-9\\.\\,]+)", 0, "[invalid]"), new FilterStep.TakeFirst());
        assertThat(pipelines.get(1).steps().get(0)).isInstanceOfSatisfying(FilterStep.Regex.class, regex -> {
            assertThat(regex.regexPattern()).isEqualTo("(-?[$0-9.,]{2,})|(-?[0-9]+)");
            assertThat(regex.groupSelect()).isEqualTo(-1);
        });
        assertThat(GSM8K.metrics())
                .containsExactly(new GenerationMetric(
                        "exact_match",
                        Map.of(
                                "ignore_case", true,
                                "ignore_punctuation", false,
                                "regexes_to_ignore", List.of(",", "\\$", "(?s).*#### ", "\\.$"))));
    }
}
