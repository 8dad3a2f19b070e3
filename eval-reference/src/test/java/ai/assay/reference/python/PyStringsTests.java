package ai.assay.reference.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Expected values printed by CPython 3.11 ({@code repr} and {@code str} methods). */
class PyStringsTests {

    @Test
    void reprIsPythons() {
        assertThat(PyStrings.repr("it's")).isEqualTo("\"it's\"");
        assertThat(PyStrings.repr("say \"hi\"")).isEqualTo("'say \"hi\"'");
        assertThat(PyStrings.repr("both ' \"")).isEqualTo("'both \\' \"'");
        assertThat(PyStrings.repr("tab\tnl\n\u007f\u00a0é\u200b")).isEqualTo("'tab\\tnl\\n\\x7f\\xa0é\\u200b'");
    }

    @Test
    void stripsLikePython() {
        assertThat(PyStrings.strip("\u00a0 x \u3000\n")).isEqualTo("x");
        assertThat(PyStrings.rstrip("Answer:\n\n")).isEqualTo("Answer:");
        // '\u00a0x\u3000'.strip() strips both: Python's whitespace is wider than Java's trim
        assertThat(PyStrings.strip("\u00a0x\u3000", null)).isEqualTo("x");
        assertThat(PyStrings.strip("\u00a0\u2007 x \u0085\n")).isEqualTo("x");
        assertThat(PyStrings.strip("\u200bx"))
                .as("a zero-width space is not whitespace")
                .isEqualTo("\u200bx");
    }

    /** '😀😁'.strip('😀'), 'x😀'.rstrip('😀x'), '😀a😀'.lstrip('😀'): the characters to strip are code points. */
    @Test
    void stripsGivenCharactersAsCodePoints() {
        assertThat(PyStrings.strip("😀😁", "😀")).isEqualTo("😁");
        assertThat(PyStrings.rstrip("x😀", "😀x")).isEmpty();
        assertThat(PyStrings.lstrip("😀a😀", "😀")).isEqualTo("a😀");
    }

    /**
     * The code points for which CPython's {@code str.isspace()} is true
     * ({@code [c for c in range(0x110000) if chr(c).isspace()]}); the lm-eval tasks, chat templates and judge
     * prompts each had their own definition before, and all three agreed with this.
     */
    @Test
    void whitespaceIsPythons() {
        List<Integer> python = new ArrayList<>(
                List.of(0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680));
        IntStream.rangeClosed(0x2000, 0x200a).forEach(python::add);
        python.addAll(List.of(0x2028, 0x2029, 0x202f, 0x205f, 0x3000));

        assertThat(IntStream.rangeClosed(0, Character.MAX_CODE_POINT)
                        .filter(PyStrings::isSpace)
                        .boxed())
                .containsExactlyElementsOf(python);
        assertThat(PyStrings.isSpace(" \t")).isTrue();
        assertThat(PyStrings.isSpace("")).isFalse();
    }

    @Test
    void methodsArePythons() {
        // '  a  b '.split(), 'a,,b'.split(','), 'a b c'.split(None, 1), 'a.b.c'.rsplit('.', 1), ''.split()
        assertThat(PyStrings.split("  a  b ", null, -1)).containsExactly("a", "b");
        assertThat(PyStrings.split("a,,b", ",", -1)).containsExactly("a", "", "b");
        assertThat(PyStrings.split("a b  c ", null, 1)).containsExactly("a", "b  c ");
        assertThat(PyStrings.rsplit("a.b.c", ".", 1)).containsExactly("a.b", "c");
        assertThat(PyStrings.rsplit(" a b  c", null, 1)).containsExactly(" a b", "c");
        assertThat(PyStrings.split("", null, -1)).isEmpty();
        assertThat(PyStrings.split("", ",", -1)).containsExactly("");
        assertThat(PyStrings.title("hello WORLD 3rd o'neil")).isEqualTo("Hello World 3Rd O'Neil");
        assertThat(PyStrings.capitalize("hELLO wORLD")).isEqualTo("Hello world");
        assertThat(PyStrings.capitalize("tHE lady")).isEqualTo("The lady");
        assertThat(PyStrings.replace("aaa", "a", "b", 2)).isEqualTo("bba");
        assertThat(PyStrings.replace("ab", "", "-", -1)).isEqualTo("-a-b-");
        assertThat(PyStrings.splitlines("a\r\nb\rc\n\nd\n")).containsExactly("a", "b", "c", "", "d");
    }

    @Test
    void capitalizeUsesTheFullCaseMappingsAsPythonDoes() {
        // Expected strings printed by CPython 3.11's str.capitalize.
        assertThat(PyStrings.capitalize("\ufb01ne print")).isEqualTo("Fine print");
        assertThat(PyStrings.capitalize("\u00dfe")).isEqualTo("Sse");
        assertThat(PyStrings.capitalize("\ufb03x")).isEqualTo("Ffix");
        assertThat(PyStrings.capitalize("\u0149x")).isEqualTo("\u02bcNx");
        assertThat(PyStrings.capitalize("\u01c6ungla")).isEqualTo("\u01c5ungla");
        assertThat(PyStrings.capitalize("\u1f80\u1fb2")).isEqualTo("\u1f88\u1fb2");
        assertThat(PyStrings.capitalize("\u1fb2A")).isEqualTo("\u1fba\u0345a");
        assertThat(PyStrings.capitalize("\u1fb7")).isEqualTo("\u0391\u0342\u0345");
        assertThat(PyStrings.capitalize("A\u0130")).isEqualTo("Ai\u0307");
    }

    @Test
    void titleUsesTheFullCaseMappingsToo() {
        assertThat(PyStrings.title("\ufb01ne \u00dftra\u03a3e \u0130\u03a3\u03a3 \u1fb3x"))
                .isEqualTo("Fine Sstra\u03c3e \u0130\u03c3\u03c2 \u1fbcx");
        assertThat(PyStrings.title("\u01c6a \u01c4b")).isEqualTo("\u01c5a \u01c5b");
    }

    @Test
    void capitalizeEndsAWordWithAFinalSigmaLookingAtTheWholeString() {
        assertThat(PyStrings.capitalize("A\u03a3")).isEqualTo("A\u03c2");
        assertThat(PyStrings.capitalize("A\u03a3B")).isEqualTo("A\u03c3b");
        assertThat(PyStrings.capitalize("A.\u03a3")).isEqualTo("A.\u03c2");
        assertThat(PyStrings.capitalize("A\u03a3'B")).isEqualTo("A\u03c3'b");
        assertThat(PyStrings.capitalize("A \u03a3")).isEqualTo("A \u03c3");
        assertThat(PyStrings.capitalize("1\u03a3")).isEqualTo("1\u03c3");
        assertThat(PyStrings.capitalize("\u03a3\u03a3")).isEqualTo("\u03a3\u03c2");
        assertThat(PyStrings.capitalize("\u0391\u03a3 \u039f\u03a3")).isEqualTo("\u0391\u03c2 \u03bf\u03c2");
        assertThat(PyStrings.capitalize("\u1f48\u0394\u03a5\u03a3\u03a3\u0395\u038e\u03a3"))
                .isEqualTo("\u1f48\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2");
    }
}
