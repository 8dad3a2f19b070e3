package ai.assay.core.lmeval.python;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected values printed by CPython 3.11 ({@code repr}, {@code json.dumps}, {@code str} methods). */
class PythonCompatibilityTests {

    @Test
    void stringMethodsArePythons() {
        assertThat(PyStrings.repr("it's")).isEqualTo("\"it's\"");
        assertThat(PyStrings.repr("say \"hi\"")).isEqualTo("'say \"hi\"'");
        assertThat(PyStrings.repr("both ' \"")).isEqualTo("'both \\' \"'");
        assertThat(PyStrings.repr("tab\tnl\n\u007f\u00a0é\u200b")).isEqualTo("'tab\\tnl\\n\\x7f\\xa0é\\u200b'");
        assertThat(PyStrings.strip("\u00a0 x \u3000\n")).isEqualTo("x");
        assertThat(PyStrings.rstrip("Answer:\n\n")).isEqualTo("Answer:");
        assertThat(PyStrings.capitalize("tHE lady")).isEqualTo("The lady");
        assertThat(PyValues.repr(java.util.List.of("a", 1L, 2.5, PyValues.NONE, true)))
                .isEqualTo("['a', 1, 2.5, None, True]");
    }
}
