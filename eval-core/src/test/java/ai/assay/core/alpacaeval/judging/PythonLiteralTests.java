package ai.assay.core.alpacaeval.judging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PythonLiteralTests {

    @Test
    void readsContainersAndScalars() {
        JsonNode value = PythonLiteral.parse("[{'a': 1, \"b\": -2.5e1, 3: None}, (True, False,), {1, 2}, (), "
                + "0x1F, 1_000]");

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
        assertThat(PythonLiteral.parse("(7)").longValue()).isEqualTo(7);
        assertThat(PythonLiteral.parse("{}").isObject()).isTrue();
        assertThat(PythonLiteral.parse("123456789012345678901234567890").bigIntegerValue().toString())
                .isEqualTo("123456789012345678901234567890");
    }

    @Test
    void readsStringsWithEscapesPrefixesAndConcatenation() {
        assertThat(PythonLiteral.parse("'it\\'s\\n\\x41\\u00e6\\U0001F44D\\101'").stringValue())
                .isEqualTo("it's\nAæ\uD83D\uDC4DA");
        assertThat(PythonLiteral.parse("r'a\\nb'").stringValue()).isEqualTo("a\\nb");
        assertThat(PythonLiteral.parse("'ab' \"cd\"").stringValue()).isEqualTo("abcd");
        assertThat(PythonLiteral.parse("'''line\nbreak'''").stringValue()).isEqualTo("line\nbreak");
        assertThat(PythonLiteral.parse("'\\d'").stringValue()).isEqualTo("\\d");
    }

    @Test
    void rejectsWhatIsNotALiteral() {
        for (String text : new String[] {"model_1", "[1, 2", "[1 2]", "1 + 2", "b'x'", "1j", "f'x'", "{'a' 1}",
                "'unterminated", "01", "[1,,2]", "print(1)", "-'a'", "{[1]: 2}"}) {
            assertThatThrownBy(() -> PythonLiteral.parse(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
