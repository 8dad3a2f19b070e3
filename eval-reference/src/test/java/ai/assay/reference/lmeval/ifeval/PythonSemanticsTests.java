package ai.assay.reference.lmeval.ifeval;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(PythonPatterns.compile("\\s").matcher("\u001c").find()).isTrue();
        assertThat(PythonPatterns.compile("\\s").matcher("\u200b").find()).isFalse();
    }

    @Test
    void onlyANewlineEndsALine() {
        assertThat(PythonPatterns.compileMultiline("a$").matcher("a\nb").find()).isTrue();
        assertThat(PythonPatterns.compileMultiline("a$").matcher("a\r\nb").find())
                .isFalse();
        assertThat(PythonPatterns.compile("a.b").matcher("a\u2028b").find()).isTrue();
    }

    @Test
    void pythonOnlySyntaxIsTranslated() {
        assertThat(PythonPatterns.compile("(?P<w>ab)(?P=w)").matcher("abab").matches())
                .isTrue();
        assertThat(PythonPatterns.compile("a{,2}(?#comment)b").matcher("aab").matches())
                .isTrue();
        assertThat(PythonPatterns.compile("x{").matcher("x{").matches()).isTrue();
        assertThat(PythonPatterns.compile("[[]&&]+").matcher("[&&]]").matches()).isTrue();
        assertThat(PythonPatterns.compile("[[&]+").matcher("[&&").matches()).isTrue();
        assertThat(PythonPatterns.compile("[&&x]+").matcher("&x&").matches()).isTrue();
    }

    @Test
    void jsonLoadsAcceptsAnyTopLevelValueAndPythonsNonFiniteNumbers() {
        assertThat(PythonJsonSyntax.isValid("\"just a string\"")).isTrue();
        assertThat(PythonJsonSyntax.isValid("-0.5e-3")).isTrue();
        assertThat(PythonJsonSyntax.isValid("[NaN, Infinity, -Infinity]")).isTrue();
        assertThat(PythonJsonSyntax.isValid("{\"a\": 1, \"a\": 2}")).isTrue();
        assertThat(PythonJsonSyntax.isValid("\"\\u00e9\\n\"")).isTrue();
    }

    @Test
    void jsonLoadsRefusesWhatPythonRefuses() {
        assertThat(PythonJsonSyntax.isValid("")).isFalse();
        assertThat(PythonJsonSyntax.isValid("[1, 2,]")).isFalse();
        assertThat(PythonJsonSyntax.isValid("+1")).isFalse();
        assertThat(PythonJsonSyntax.isValid("01")).isFalse();
        assertThat(PythonJsonSyntax.isValid("1.")).isFalse();
        assertThat(PythonJsonSyntax.isValid("-inf")).isFalse();
        assertThat(PythonJsonSyntax.isValid("{'a': 1}")).isFalse();
        assertThat(PythonJsonSyntax.isValid("\"raw\ttab\"")).isFalse();
        assertThat(PythonJsonSyntax.isValid("\"\\x41\"")).isFalse();
        assertThat(PythonJsonSyntax.isValid("{} {}")).isFalse();
        assertThat(PythonJsonSyntax.isValid("\u00a0{}")).isFalse();
    }

    @Test
    void upperAndLowerNeedACasedCharacterAndNoneOfTheOtherCase() {
        assertThat(PythonText.isUpper("HELLO, WORLD! 123")).isTrue();
        assertThat(PythonText.isUpper("123 !!!")).isFalse();
        assertThat(PythonText.isUpper("N'T")).isTrue();
        assertThat(PythonText.isUpper("ǅ")).isFalse();
        assertThat(PythonText.isLower("hello ß 123")).isTrue();
        assertThat(PythonText.isLower("hello World")).isFalse();
    }
}
