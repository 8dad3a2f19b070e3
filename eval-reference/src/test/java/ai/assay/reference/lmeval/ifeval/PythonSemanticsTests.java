package ai.assay.reference.lmeval.ifeval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.reference.python.PyJsonSyntax;
import ai.assay.reference.python.PyPatterns;
import ai.assay.reference.python.PyStrings;
import org.junit.jupiter.api.Test;

/** The Python behaviour IFEval's checkers depend on: {@code re} classes and anchors, {@code json.loads}, case tests. */
class PythonSemanticsTests {

    @Test
    void aWordRunStopsAtCombiningMarksAsPythonsWordClassDoes() {
        // re.findall(r"\w+", ...) in CPython: ['ह', 'न', 'द', 'naïve', 'café_x', '2½'].
        assertThat(NltkWords.countWords("हिन्दी naïve café_x 2½")).isEqualTo(6);
    }

    @Test
    void whitespaceIncludesTheInformationSeparators() {
        assertThat(PyPatterns.compile("\\s").matcher("\u001c").find()).isTrue();
        assertThat(PyPatterns.compile("\\s").matcher("\u200b").find()).isFalse();
    }

    @Test
    void onlyANewlineEndsALine() {
        assertThat(PyPatterns.compileMultiline("a$").matcher("a\nb").find()).isTrue();
        assertThat(PyPatterns.compileMultiline("a$").matcher("a\r\nb").find()).isFalse();
        assertThat(PyPatterns.compile("a.b").matcher("a\u2028b").find()).isTrue();
    }

    @Test
    void pythonOnlySyntaxIsTranslated() {
        assertThat(PyPatterns.compile("(?P<w>ab)(?P=w)").matcher("abab").matches())
                .isTrue();
        assertThat(PyPatterns.compile("a{,2}(?#comment)b").matcher("aab").matches())
                .isTrue();
        assertThat(PyPatterns.compile("x{").matcher("x{").matches()).isTrue();
        assertThat(PyPatterns.compile("[[]&&]+").matcher("[&&]]").matches()).isTrue();
        assertThat(PyPatterns.compile("[[&]+").matcher("[&&").matches()).isTrue();
        assertThat(PyPatterns.compile("[&&x]+").matcher("&x&").matches()).isTrue();
    }

    @Test
    void jsonLoadsAcceptsAnyTopLevelValueAndPythonsNonFiniteNumbers() {
        assertThat(PyJsonSyntax.isValid("\"just a string\"")).isTrue();
        assertThat(PyJsonSyntax.isValid("-0.5e-3")).isTrue();
        assertThat(PyJsonSyntax.isValid("[NaN, Infinity, -Infinity]")).isTrue();
        assertThat(PyJsonSyntax.isValid("{\"a\": 1, \"a\": 2}")).isTrue();
        assertThat(PyJsonSyntax.isValid("\"\\u00e9\\n\"")).isTrue();
    }

    @Test
    void jsonLoadsRefusesWhatPythonRefuses() {
        assertThat(PyJsonSyntax.isValid("")).isFalse();
        assertThat(PyJsonSyntax.isValid("[1, 2,]")).isFalse();
        assertThat(PyJsonSyntax.isValid("+1")).isFalse();
        assertThat(PyJsonSyntax.isValid("01")).isFalse();
        assertThat(PyJsonSyntax.isValid("1.")).isFalse();
        assertThat(PyJsonSyntax.isValid("-inf")).isFalse();
        assertThat(PyJsonSyntax.isValid("{'a': 1}")).isFalse();
        assertThat(PyJsonSyntax.isValid("\"raw\ttab\"")).isFalse();
        assertThat(PyJsonSyntax.isValid("\"\\x41\"")).isFalse();
        assertThat(PyJsonSyntax.isValid("{} {}")).isFalse();
        assertThat(PyJsonSyntax.isValid("\u00a0{}")).isFalse();
    }

    @Test
    void upperAndLowerNeedACasedCharacterAndNoneOfTheOtherCase() {
        assertThat(PyStrings.isUpper("HELLO, WORLD! 123")).isTrue();
        assertThat(PyStrings.isUpper("123 !!!")).isFalse();
        assertThat(PyStrings.isUpper("N'T")).isTrue();
        assertThat(PyStrings.isUpper("ǅ")).isFalse();
        assertThat(PyStrings.isLower("hello ß 123")).isTrue();
        assertThat(PyStrings.isLower("hello World")).isFalse();
    }
}
