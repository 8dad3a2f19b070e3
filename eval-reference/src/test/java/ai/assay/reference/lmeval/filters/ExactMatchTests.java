package ai.assay.reference.lmeval.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** lm-eval's {@code exact_match}; every expected value is what {@code exact_match_hf_evaluate} gives (numpy 2). */
class ExactMatchTests {

    @Test
    void withoutOptionsTheStringsMustBeEqual() {
        assertThat(ExactMatch.plain().score("a", "A")).isEqualTo(0.0);
        assertThat(ExactMatch.plain().score("a", "a")).isEqualTo(1.0);
    }

    @Test
    void theResultIsTheMeanOverTheBatch() {
        assertThat(ExactMatch.plain().score(List.of("a", "b"), List.of("a", "c")))
                .isEqualTo(0.5);
    }

    @Test
    void anEmptyListOfRegexesLeavesPythonListsComparedWhole() {
        ExactMatch noRegexes = ExactMatch.fromKwargs(Map.of("regexes_to_ignore", List.of()));

        assertThat(noRegexes.score(List.of("a", "b"), List.of("a", "c"))).isEqualTo(0.0);
        assertThat(noRegexes.score(List.of("a", "b"), List.of("a", "b"))).isEqualTo(1.0);
    }

    @Test
    void regexesRunFirstInOrderOnBothSides() {
        ExactMatch gsm8k = ExactMatch.fromKwargs(
                Map.of("ignore_case", true, "regexes_to_ignore", List.of(",", "\\$", "(?s).*#### ", "\\.$")));

        assertThat(gsm8k.score("$1,234.", "Some work.\n$1,000 + $234 = <<1000+234=1234>>1234\n#### 1234"))
                .isEqualTo(1.0);
        // Removing "," first leaves nothing for a later pattern that needs it.
        ExactMatch order = ExactMatch.fromKwargs(Map.of("regexes_to_ignore", List.of(",", "a,b")));
        assertThat(order.score("a,b", "ab")).isEqualTo(1.0);
    }

    @Test
    void punctuationIsAsciiOnlyAndNumbersAreAsciiDigits() {
        ExactMatch punctuation = ExactMatch.fromKwargs(Map.of("ignore_case", true, "ignore_punctuation", true));
        ExactMatch numbers = ExactMatch.fromKwargs(Map.of("ignore_case", true, "ignore_numbers", true));

        assertThat(punctuation.score("Hello, World!", "hello world")).isEqualTo(1.0);
        assertThat(punctuation.score("“quoted”", "quoted")).isEqualTo(0.0);
        assertThat(numbers.score("Room 101", "room")).isEqualTo(0.0);
        assertThat(numbers.score("Room 101", "room ")).isEqualTo(1.0);
        assertThat(ExactMatch.PUNCTUATION).hasSize(32);
    }

    @Test
    void lowerCaseIsCutToTheWidthOfTheNumpyArray() {
        ExactMatch ignoreCase = ExactMatch.fromKwargs(Map.of("ignore_case", true));

        // "İ".lower() is "i" + U+0307, two characters; a one-character array keeps "i".
        assertThat(ignoreCase.score("İ", "i")).isEqualTo(1.0);
        // Next to a three-character string the array is wide enough for both.
        assertThat(ignoreCase.score(List.of("İ", "abc"), List.of("i̇", "abc"))).isEqualTo(1.0);
        assertThat(ignoreCase.score(List.of("İ", "abc"), List.of("i", "abc"))).isEqualTo(0.5);
    }

    @Test
    void numpyDropsTrailingNulsUnlessTheListsStayPythonLists() {
        assertThat(ExactMatch.plain().score("5\0", "5")).isEqualTo(1.0);
        assertThat(ExactMatch.fromKwargs(Map.of("regexes_to_ignore", List.of())).score("5\0", "5"))
                .isEqualTo(0.0);
    }

    @Test
    void anUnknownKeywordIsRefused() {
        assertThatThrownBy(() -> ExactMatch.fromKwargs(Map.of("ignore_spaces", true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ignore_spaces");
        assertThatThrownBy(() -> GenerationMetric.fromYaml(Map.of("metric", "bleu")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bleu");
    }

    @Test
    void theKeysLmEvalKeepsForItselfAreNotPassed() {
        GenerationMetric metric = GenerationMetric.fromYaml(
                Map.of("metric", "exact_match", "aggregation", "mean", "higher_is_better", true, "ignore_case", true));

        assertThat(metric.kwargs()).isEqualTo(Map.of("ignore_case", true));
    }
}
