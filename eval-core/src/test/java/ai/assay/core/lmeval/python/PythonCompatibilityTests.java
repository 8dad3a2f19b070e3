package ai.assay.core.lmeval.python;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Expected values printed by CPython 3.11 ({@code repr}, {@code json.dumps}, {@code str} methods). */
class PythonCompatibilityTests {

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
