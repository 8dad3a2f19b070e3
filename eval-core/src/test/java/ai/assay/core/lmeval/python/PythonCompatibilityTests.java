package ai.assay.core.lmeval.python;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Expected values printed by CPython 3.11 ({@code repr}, {@code json.dumps}, {@code str} methods). */
class PythonCompatibilityTests {

    @Test
    void floatReprIsPythons() {
        assertThat(PyFloats.repr(0.1)).isEqualTo("0.1");
        assertThat(PyFloats.repr(1e16)).isEqualTo("1e+16");
        assertThat(PyFloats.repr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PyFloats.repr(1e-5)).isEqualTo("1e-05");
        assertThat(PyFloats.repr(0.0001)).isEqualTo("0.0001");
        assertThat(PyFloats.repr(-12.345678901234567)).isEqualTo("-12.345678901234567");
        assertThat(PyFloats.repr(2.5e-300)).isEqualTo("2.5e-300");
        assertThat(PyFloats.repr(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(PyFloats.repr(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(PyFloats.repr(-0.0)).isEqualTo("-0.0");
        assertThat(PyFloats.repr(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(PyFloats.repr(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(PyFloats.repr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PyFloats.repr(100.0)).isEqualTo("100.0");
    }

    @Test
    void jsonDumpsIsPythons() {
        var doc = JsonMapper.builder().build().readTree("{\"a\":1,\"b\":[1.0,\"x\\ny\\\"z\\\\é\u2028\\u0001\"],"
                + "\"c\":{},\"d\":[],\"e\":null,\"f\":true,\"g\":{\"h\":0.5}}");

        assertThat(PyJson.dumps(doc)).isEqualTo("{\"a\": 1, \"b\": [1.0, \"x\\ny\\\"z\\\\é\u2028\\u0001\"],"
                + " \"c\": {}, \"d\": [], \"e\": null, \"f\": true, \"g\": {\"h\": 0.5}}");
        assertThat(PyJson.dumps(doc, 2)).isEqualTo("{\n  \"a\": 1,\n  \"b\": [\n    1.0,\n"
                + "    \"x\\ny\\\"z\\\\é\u2028\\u0001\"\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": null,\n"
                + "  \"f\": true,\n  \"g\": {\n    \"h\": 0.5\n  }\n}");
    }

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
