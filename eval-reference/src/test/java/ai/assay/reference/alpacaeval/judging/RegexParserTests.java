package ai.assay.reference.alpacaeval.judging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegexParserTests {

    @Test
    void returnsTheKeyOfEachEarliestMatchInTurn() {
        RegexParser<Integer> parser = new RegexParser<>(ordered(1, "\\n\\(a\\)", 2, "\\n\\(b\\)"));
        String batched = "\n(b)\n\n### Best output for example 2:\n(a)\n\n### Best output for example 3:\n(b)";

        assertThat(parser.parse(batched)).containsExactly(2, 1, 2);
        assertThat(new RegexParser<>(ordered(1, " \\(a\\)", 2, " \\(b\\)")).parse(" (a)"))
                .containsExactly(1);
        assertThat(parser.parse("no verdict")).isEmpty();
    }

    @Test
    void continuesAfterTheMatchSoNoTextIsMatchedTwice() {
        RegexParser<Integer> parser = new RegexParser<>(ordered(1, " true", 2, " false"));
        assertThat(parser.parse("\"better\": true}\n{\"better\": false}\n{\"better\": true}"))
                .containsExactly(1, 2, 1);
        RegexParser<String> overlapping = new RegexParser<>(ordered("aa", "aa", "a", "a"));
        assertThat(overlapping.parse("aaa")).containsExactly("aa", "a");
    }

    @Test
    void tiesGoToTheFirstPatternAndPythonSyntaxIsTranslated() {
        RegexParser<Integer> parser = new RegexParser<>(ordered(1, "(?P<x>Output) \\(a\\)", 2, "Output"));
        assertThat(parser.parse("Output (a)")).containsExactly(1);
        RegexParser<Integer> backReference = new RegexParser<>(ordered(1, "(?P<q>[ab])=(?P=q)"));
        assertThat(backReference.parse("a=b b=b")).containsExactly(1);
        // \d is Unicode-aware in Python 3
        assertThat(new RegexParser<>(ordered(1, "score \\d")).parse("score \u0663"))
                .containsExactly(1);
    }

    @Test
    void rejectsEmptyCompletionsAndPatternsThatMatchNothing() {
        RegexParser<Integer> parser = new RegexParser<>(ordered(1, "a"));
        assertThatThrownBy(() -> parser.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegexParser<>(ordered(1, "x*")).parse("abc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @SuppressWarnings("unchecked")
    private static <K> Map<K, String> ordered(Object... keysAndPatterns) {
        Map<K, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndPatterns.length; i += 2) {
            map.put((K) keysAndPatterns[i], (String) keysAndPatterns[i + 1]);
        }
        return map;
    }
}
