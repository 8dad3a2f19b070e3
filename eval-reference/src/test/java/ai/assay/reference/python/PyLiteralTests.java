package ai.assay.reference.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PyLiteralTests {

    @Test
    void readsContainersAndScalars() {
        JsonNode value =
                PyLiteral.parse("[{'a': 1, \"b\": -2.5e1, 3: None}, (True, False,), {1, 2}, (), " + "0x1F, 1_000]");

        assertThat(value.isArray()).isTrue();
        assertThat(value.get(0).get("a").longValue()).isEqualTo(1);
        assertThat(value.get(0).get("b").doubleValue()).isEqualTo(-25.0);
        assertThat(value.get(0).get("3").isNull()).isTrue();
        assertThat(value.get(1).size()).isEqualTo(2);
        assertThat(value.get(1).get(0).booleanValue()).isTrue();
        assertThat(value.get(2).size()).isEqualTo(2);
        assertThat(value.get(3).isEmpty()).isTrue();
        assertThat(value.get(4).longValue()).isEqualTo(31);
        assertThat(value.get(5).longValue()).isEqualTo(1000);
        assertThat(PyLiteral.parse("(7)").longValue()).isEqualTo(7);
        assertThat(PyLiteral.parse("{}").isObject()).isTrue();
        assertThat(PyLiteral.parse("123456789012345678901234567890")
                        .bigIntegerValue()
                        .toString())
                .isEqualTo("123456789012345678901234567890");
    }

    @Test
    void readsStringsWithEscapesPrefixesAndConcatenation() {
        assertThat(PyLiteral.parse("'it\\'s\\n\\x41\\u00e6\\U0001F44D\\101'").stringValue())
                .isEqualTo("it's\nAæ\uD83D\uDC4DA");
        assertThat(PyLiteral.parse("r'a\\nb'").stringValue()).isEqualTo("a\\nb");
        assertThat(PyLiteral.parse("'ab' \"cd\"").stringValue()).isEqualTo("abcd");
        assertThat(PyLiteral.parse("'''line\nbreak'''").stringValue()).isEqualTo("line\nbreak");
        assertThat(PyLiteral.parse("'\\d'").stringValue()).isEqualTo("\\d");
    }

    @Test
    void rejectsWhatIsNotALiteral() {
        for (String text : new String[] {
            "model_1",
            "[1, 2",
            "[1 2]",
            "1 + 2",
            "b'x'",
            "1j",
            "f'x'",
            "{'a' 1}",
            "'unterminated",
            "01",
            "[1,,2]",
            "print(1)",
            "-'a'",
            "{[1]: 2}"
        }) {
            assertThatThrownBy(() -> PyLiteral.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unescapesAsJinjaDecodesStringLiterals() {
        assertThat(PyLiteral.unescape("\\x41\\u00e9\\U0001F642\\101\\N{BULLET}\\q\\\n"))
                .isEqualTo("Aé🙂A•\\q");
    }

    /**
     * Where the two readers this one replaced differed, CPython decides: {@code ast.literal_eval} of
     * {@code '\N{bullet}'} is '•', {@code '\777'} is 'ǿ', {@code '\8'} is '\\8'; {@code '\x+4'},
     * {@code '\x١٢'} (Arabic-Indic digits), {@code '\U00110000'}, {@code '\N{ BULLET}'} and
     * {@code '\N{NO SUCH NAME}'} are syntax errors.
     */
    @Test
    void decodesEscapesAsCPythonDoes() {
        assertThat(PyLiteral.parse("'\\N{bullet}'").stringValue()).isEqualTo("•");
        assertThat(PyLiteral.parse("'\\777'").stringValue()).isEqualTo("\u01ff");
        assertThat(PyLiteral.parse("'\\8'").stringValue()).isEqualTo("\\8");
        assertThat(PyLiteral.parse("'a\\\nb'").stringValue()).isEqualTo("ab");
        assertThat(PyLiteral.parse("r'a\\'b'").stringValue()).isEqualTo("a\\'b");
        for (String text : new String[] {
            "'\\x+4'",
            "'\\x\u0661\u0662'",
            "'\\U00110000'",
            "'\\UFFFFFFFF'",
            "'\\N{ BULLET}'",
            "'\\N{NO SUCH NAME}'",
            "'\\N{BULLET'",
            "'\\x4'"
        }) {
            assertThatThrownBy(() -> PyLiteral.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a Python literal");
            String body = text.substring(1, text.length() - 1);
            assertThatThrownBy(() -> PyLiteral.unescape(body)).as(body).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
