package ai.assay.reference.lmeval.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lm-eval's filters one by one, on filter_list entries written as a task file would; every expected value is what
 * the pinned commit's filters give for the same responses.
 */
class FilterStepTests {

    private static Object filter(List<Map<String, Object>> steps, String... responses) {
        return FilterPipeline.fromYaml(Map.of("name", "test", "filter", steps)).apply(List.of(responses));
    }

    private static Map<String, Object> step(Object... keysAndValues) {
        Map<String, Object> step = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            step.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return step;
    }

    @Test
    void aTaskWithoutFiltersGetsNoneWhichTakesTheFirstResponse() {
        List<FilterPipeline> pipelines = FilterPipeline.listFromYaml(null);

        assertThat(pipelines).containsExactly(FilterPipeline.none());
        assertThat(pipelines.get(0).name()).isEqualTo("none");
        assertThat(pipelines.get(0).apply(List.of("first", "second"))).isEqualTo("first");
        assertThat(GenerateUntilScoring.fromYaml(null, null)
                        .score("first", List.of("first"))
                        .byResultKey())
                .containsExactly(Map.entry("exact_match,none", 1.0));
    }

    @Test
    void regexDefaultsToGsm8ksPatternAndTheInvalidFallback() {
        assertThat(filter(List.of(step("function", "regex")), "#### 42", "no number"))
                .isEqualTo(List.of("42", "[invalid]"));
    }

    @Test
    void groupSelectIsAPythonIndexIntoTheFindings() {
        assertThat(filter(List.of(step("function", "regex", "regex_pattern", "(\\d+)", "group_select", -2)), "1 2 3"))
                .isEqualTo(List.of("2"));
        assertThatThrownBy(() -> filter(
                        List.of(step("function", "regex", "regex_pattern", "(\\d+)", "group_select", 3)), "1 2 3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group_select 3 is out of range for 3 matches");
    }

    @Test
    void aTupleWithEveryGroupEmptyFallsBackStripped() {
        // findall of (a)|(x?) on "ab": ('a', ''), ('', ''), ('', ''); the second has no non-empty group.
        Map<String, Object> regex =
                step("function", "regex", "regex_pattern", "(a)|(x?)", "group_select", 1, "fallback", " none ");

        assertThat(filter(List.of(regex), "ab")).isEqualTo(List.of("none"));
        assertThat(filter(List.of(step("function", "regex", "regex_pattern", "(a)|(b)|(c)")), "c"))
                .isEqualTo(List.of("c"));
        // One group that matched empty is a finding, not a fallback.
        assertThat(filter(List.of(step("function", "regex", "regex_pattern", "(x?)")), "ab"))
                .isEqualTo(List.of(""));
    }

    @Test
    void filtersAfterTakeFirstRunOverTheCharactersOfTheOneResponse() {
        assertThat(filter(List.of(step("function", "take_first"), step("function", "lowercase")), "AB"))
                .isEqualTo(List.of("a", "b"));
        assertThat(filter(
                        List.of(step("function", "take_first"), step("function", "regex", "regex_pattern", "\\d")),
                        "a1"))
                .isEqualTo(List.of("[invalid]", "1"));
        assertThat(filter(List.of(step("function", "take_first"), step("function", "take_first_k", "k", 2)), "abc"))
                .isEqualTo("ab");
    }

    @Test
    void caseFiltersUsePythonsFullUnicodeMapping() {
        assertThat(filter(List.of(step("function", "lowercase")), "ΟΔΟΣ", "İx"))
                .isEqualTo(List.of("οδος".substring(0, 3) + "ς", "i̇x"));
        assertThat(filter(List.of(step("function", "uppercase")), "straße")).isEqualTo(List.of("STRASSE"));
    }

    @Test
    void mapLooksEachResponseUpWithItsDefault() {
        Map<String, Object> map =
                step("function", "map", "mapping_dict", Map.of("yes", 1, "no", 0), "default_value", -1);

        assertThat(filter(List.of(map), "yes", "no", "maybe")).isEqualTo(List.of(1, 0, -1));
        // Without a default it is None; the int key 1 is not the str "1".
        assertThat(filter(List.of(step("function", "map", "mapping_dict", Map.of(1, "one"))), "1"))
                .isEqualTo(Arrays.asList((Object) null));
    }

    @Test
    void majorityVoteBreaksATieForTheFirstSeenAndKeepsAList() {
        assertThat(filter(
                        List.of(step("function", "remove_whitespace"), step("function", "majority_vote")),
                        " b",
                        "a ",
                        "b\n",
                        "a"))
                .isEqualTo(List.of("b"));
    }

    @Test
    void takeFirstKKeepsTheFirstKResponses() {
        assertThat(filter(List.of(step("function", "take_first_k", "k", 2)), "a", "b", "c"))
                .isEqualTo(List.of("a", "b"));
        assertThatThrownBy(() -> FilterStep.fromYaml(step("function", "take_first_k")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k");
    }

    @Test
    void unknownFiltersAndArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> FilterStep.fromYaml(step("function", "regexp")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown filter regexp");
        assertThatThrownBy(() -> FilterStep.fromYaml(step("function", "multi_choice_regex")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multi_choice_regex is not implemented");
        assertThatThrownBy(() -> FilterStep.fromYaml(step("function", "regex", "pattern", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[pattern]");
        assertThatThrownBy(() ->
                        FilterPipeline.fromYaml(Map.of("name", "strict", "filter", List.of(step("function", "nope")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strict")
                .hasMessageContaining("nope");
        // remove_whitespace inherits Filter's **kwargs and takes anything.
        assertThat(FilterStep.fromYaml(step("function", "remove_whitespace", "anything", 1)))
                .isEqualTo(new FilterStep.RemoveWhitespace());
    }

    @Test
    void aPipelineThatKeepsAListCannotBeScoredByExactMatch() {
        GenerateUntilScoring scoring = GenerateUntilScoring.fromYaml(
                List.of(Map.of("name", "all", "filter", List.of(step("function", "lowercase")))), null);

        assertThatThrownBy(() -> scoring.score("a", List.of("A", "B")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filter all leaves ['a', 'b']");
    }

    @Test
    void aListOfGoldsScoresOneIfAnyMatches() {
        GenerateUntilScoring scoring = GenerateUntilScoring.fromYaml(null, null);

        assertThat(scoring.score(List.of("Paris", "paris"), List.of("paris"))
                        .byResultKey()
                        .values())
                .containsExactly(1.0);
        assertThat(scoring.score(List.of("Paris", "Lyon"), List.of("paris"))
                        .byResultKey()
                        .values())
                .containsExactly(0.0);
    }

    @Test
    void anIntGoldIsComparedAsItsStr() {
        // process_results casts the gold to the result's type: type(result)(gold), str(18) here.
        GenerateUntilScoring scoring = GenerateUntilScoring.fromYaml(null, null);

        assertThat(scoring.score(18L, List.of("18")).byResultKey().values()).containsExactly(1.0);
        assertThat(scoring.score(18.0, List.of("18")).byResultKey().values()).containsExactly(0.0);
    }
}
