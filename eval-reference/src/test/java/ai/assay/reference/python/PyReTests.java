package ai.assay.reference.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Python's {@code re.sub} and {@code re.findall}; every expected value is what CPython 3.11 gives. */
class PyReTests {

    @Test
    void replacementsReferToGroupsByNumberAndName() {
        assertThat(PyRe.sub("(\\w+) (\\w+)", "\\2 \\1", "hello world", 0)).isEqualTo("world hello");
        assertThat(PyRe.sub("(?P<w>\\w+)", "<\\g<w>>", "ab cd", 0)).isEqualTo("<ab> <cd>");
        assertThat(PyRe.sub("(a)", "\\g<1>\\g<0>", "xa", 0)).isEqualTo("xaa");
        assertThat(PyRe.sub("(?P<x>a)(?P=x)", "Z", "aab", 0)).isEqualTo("Zb");
        assertThat(PyRe.sub("(a)|b", "[\\1]", "ab", 0)).isEqualTo("[a][]");
    }

    @Test
    void replacementEscapesArePythonStringEscapes() {
        assertThat(PyRe.sub("\\d", "\\n", "a1", 0)).isEqualTo("a\n");
        assertThat(PyRe.sub("\\d", "$1\\.", "a1", 0)).isEqualTo("a$1\\.");
        assertThatThrownBy(() -> PyRe.sub("\\d", "\\q", "a1", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countLimitsTheReplacementsAndZeroMeansAll() {
        assertThat(PyRe.sub("a", "b", "aaa", 2)).isEqualTo("bba");
        assertThat(PyRe.sub("a", "b", "aaa", 0)).isEqualTo("bbb");
    }

    @Test
    void emptyMatchesAreReplacedNextToOtherMatches() {
        assertThat(PyRe.sub("x*", "-", "abxd", 0)).isEqualTo("-a-b--d-");
    }

    @Test
    void classesAreUnicodeAndOnlyNewlineEndsALine() {
        assertThat(PyRe.sub("\\w", "_", "é1 ", 0)).isEqualTo("__ ");
        assertThat(PyRe.sub(".$", "X", "ab\n", 0)).isEqualTo("aX\n");
        assertThat(PyRe.sub(".", "X", "a\rb", 0)).isEqualTo("XXX");
    }

    @Test
    void findallGivesMatchesGroupsOrTuplesByTheNumberOfGroups() {
        assertThat(PyRe.findall(PyRe.compile("x*"), "abxd")).containsExactly("", "", "x", "", "");
        assertThat(PyRe.findall(PyRe.compile("(?P<n>\\d)x"), "1x2x")).containsExactly("1", "2");
        assertThat(PyRe.findall(PyRe.compile("(a)(b)?"), "a ab")).containsExactly(List.of("a", ""), List.of("a", "b"));
        assertThat(PyRe.findall(PyRe.compile("\\d"), "\u0663" + "4")).containsExactly("\u0663", "4");
        assertThat(PyRe.findall(PyRe.compile("q"), "abc")).isEmpty();
    }

    @Test
    void escapeMarksOnlyPythonsSpecialCharactersAndMatchesLiterally() {
        assertThat(PyRe.escape("a.b (c)\t#~&-\"'/")).isEqualTo("a\\.b\\ \\(c\\)\\\t\\#\\~\\&\\-\"'/");
        assertThat(PyRe.findall(PyRe.compile(PyRe.escape("(?P<x>1+1)")), "=(?P<x>1+1)="))
                .containsExactly("(?P<x>1+1)");
    }
}
