package ai.assay.reference.lmeval.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The zero-shot BBH filters on their own, with keyword arguments shaped as the task files give them. Their values
 * against lm-eval's own code are in {@link UpstreamFilterScoresTests}; these pin the rules those values follow.
 */
class BbhZeroshotFiltersTests {

    private static final Map<String, Object> NO_DOC = Map.of();

    private static BbhZeroshotFilters.MapRegex plausible() {
        Map<String, Object> patterns = new LinkedHashMap<>();
        patterns.put("\\b(no|not plausible)\\b", "no");
        patterns.put("\\b(yes|plausible)\\b", "yes");
        return BbhZeroshotFilters.MapRegex.fromKwargs(
                Map.of("group_select", -1L, "ignore_case", true, "regex_pattern_to_value", patterns));
    }

    @Test
    void theMapFilterValuesTheLastMatchByTheFirstPatternThatFindsItInTheFilesOrder() {
        assertThat(plausible().apply(List.of("Yes. Or not plausible?", "plausible", "not plausible", "maybe"), NO_DOC))
                .isEqualTo(List.of("no", "yes", "no", "[invalid]"));
    }

    @Test
    void aFalsyMappedValueFallsBack() {
        Map<String, Object> patterns = new LinkedHashMap<>();
        patterns.put("zero", "");
        patterns.put("one", "1");
        BbhZeroshotFilters.MapRegex map =
                BbhZeroshotFilters.MapRegex.fromKwargs(Map.of("regex_pattern_to_value", patterns, "fallback", "none"));

        assertThat(map.apply(List.of("zero", "one"), NO_DOC)).isEqualTo(List.of("none", "1"));
    }

    @Test
    void theMapFilterTakesNoRegexPatternKeyword() {
        assertThatThrownBy(() -> BbhZeroshotFilters.MapRegex.fromKwargs(Map.of("regex_pattern", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected keyword argument regex_pattern");
        assertThat(BbhZeroshotFilters.MapRegex.fromKwargs(Map.of()))
                .isEqualTo(BbhZeroshotFilters.MapRegex.fromKwargs(Map.of()));
    }

    @Test
    void numbersInDigitsComeFirstThenTheLastRunOfNumberWords() {
        BbhZeroshotFilters.NumberParseRegex numbers = BbhZeroshotFilters.NumberParseRegex.fromKwargs(
                Map.of("group_select", -1L, "regex_pattern", "([-0-9]+)"));

        assertThat(numbers.apply(
                        List.of("3 + 1 = 4", "one apple and Twelve Hundred and thirty four pears", "nothing here"),
                        NO_DOC))
                .isEqualTo(List.of("4", "1234", "[invalid]"));
    }

    @Test
    void theNumberWordsPatternPrefersFourToFourteenAndKnowsNoBareSeven() {
        assertThat(BbhZeroshotFilters.NumberParseRegex.ENGLISH_NUMBER
                        .matcher("fourteen")
                        .results()
                        .map(r -> r.group(1))
                        .toList())
                .containsExactly("four");
        assertThat(BbhZeroshotFilters.NumberParseRegex.ENGLISH_NUMBER
                        .matcher("seven")
                        .find())
                .isFalse();
        assertThat(BbhZeroshotFilters.NumberParseRegex.ENGLISH_NUMBER
                        .matcher("seventy seven")
                        .results()
                        .map(r -> r.group(1))
                        .toList())
                .containsExactly("seventy");
    }

    @Test
    void wordToNumberReadsAsRelease11Does() {
        assertThat(WordToNumber.wordToNum("twenty one hundred")).isEqualTo(120);
        assertThat(WordToNumber.wordToNum("twelve hundred and thirty four")).isEqualTo(1234);
        assertThat(WordToNumber.wordToNum("two million five thousand")).isEqualTo(2_006_005);
        assertThat(WordToNumber.wordToNum("three billion two million one thousand four"))
                .isEqualTo(3_002_001_004L);
        assertThat(WordToNumber.wordToNum("one two three four five")).isEqualTo(1);
        assertThat(WordToNumber.wordToNum("one, two")).isEqualTo(2);
    }

    @Test
    void wordToNumberRefusesWhatUpstreamRaisesOn() {
        assertThatThrownBy(() -> WordToNumber.wordToNum("one,two")).hasMessageContaining("(upstream: ValueError)");
        assertThatThrownBy(() -> WordToNumber.wordToNum("trillion")).hasMessageContaining("(upstream: ValueError)");
        assertThatThrownBy(() -> WordToNumber.wordToNum("two thousand million"))
                .hasMessageContaining("(upstream: ValueError)");
        assertThatThrownBy(() -> WordToNumber.wordToNum("one thousand two thousand"))
                .hasMessageContaining("(upstream: ValueError)");
        assertThatThrownBy(() -> WordToNumber.wordToNum("thousand five"))
                .hasMessageContaining("(upstream: IndexError)");
    }

    @Test
    void wordSortKeepsEachListedWordOnceInTheOrderOfItsLastOccurrence() {
        Map<String, Object> doc = Map.of("input", "Sort these: List: pear apple fig");
        BbhZeroshotFilters.WordSort sort = new BbhZeroshotFilters.WordSort();

        assertThat(sort.apply(List.of("fig pear apple pear", "Pear, apple and figs", "nothing"), doc))
                .isEqualTo(List.of("fig apple pear", "apple", ""));
    }

    @Test
    void wordSortNeedsAListInTheDocument() {
        assertThatThrownBy(() -> new BbhZeroshotFilters.WordSort().apply(List.of("a"), Map.of("input", "Sort: a b")))
                .hasMessageContaining("(upstream: IndexError)");
    }
}
