package ai.assay.reference.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Expected values printed by CPython 3.11 ({@code json.dumps}). */
class PyJsonTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void dumpsJsonTreesAsLmEvalDoes() {
        var doc = MAPPER.readTree("{\"a\":1,\"b\":[1.0,\"x\\ny\\\"z\\\\é\u2028\\u0001\"],"
                + "\"c\":{},\"d\":[],\"e\":null,\"f\":true,\"g\":{\"h\":0.5}}");

        assertThat(PyJson.dumps(doc))
                .isEqualTo("{\"a\": 1, \"b\": [1.0, \"x\\ny\\\"z\\\\é\u2028\\u0001\"],"
                        + " \"c\": {}, \"d\": [], \"e\": null, \"f\": true, \"g\": {\"h\": 0.5}}");
        assertThat(PyJson.dumps(doc, 2))
                .isEqualTo("{\n  \"a\": 1,\n  \"b\": [\n    1.0,\n"
                        + "    \"x\\ny\\\"z\\\\é\u2028\\u0001\"\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": null,\n"
                        + "  \"f\": true,\n  \"g\": {\n    \"h\": 0.5\n  }\n}");
    }

    @Test
    void dumpsJavaValuesAsTheTojsonFilterDoes() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "tab\t\"quote\" back\\slash \u0001 é 🙂");
        value.put("list", List.of(1, 2.0, true));
        value.put("none", null);
        // json.dumps(value, ensure_ascii=False)
        assertThat(PyJson.dumps(value, false, null, null, null, false))
                .isEqualTo("{\"text\": \"tab\\t\\\"quote\\\" back\\\\slash \\u0001 é 🙂\", \"list\": [1, 2.0, true], "
                        + "\"none\": null}");
        // json.dumps(value, ensure_ascii=True)
        assertThat(PyJson.dumps(Map.of("k", "é🙂"), true, null, null, null, false))
                .isEqualTo("{\"k\": \"\\u00e9\\ud83d\\ude42\"}");
        // json.dumps({"b": [], "a": {}}, indent=0, sort_keys=True)
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", List.of());
        nested.put("a", Map.of());
        assertThat(PyJson.dumps(nested, false, 0, null, null, true)).isEqualTo("{\n\"a\": {},\n\"b\": []\n}");
    }

    @Test
    void writesFloatsAsReprWithJavaScriptsNanAndInfinity() {
        // json.dumps([float('nan'), float('inf'), -float('inf'), 1e16, -0.0, 5e-324])
        assertThat(PyJson.dumps(
                        List.of(
                                Double.NaN,
                                Double.POSITIVE_INFINITY,
                                Double.NEGATIVE_INFINITY,
                                1e16,
                                -0.0,
                                Double.MIN_VALUE),
                        false,
                        null,
                        null,
                        null,
                        false))
                .isEqualTo("[NaN, Infinity, -Infinity, 1e+16, -0.0, 5e-324]");
        assertThat(PyJson.dumps(Double.NEGATIVE_INFINITY, false, null, null, null, false))
                .isEqualTo("-Infinity");
        assertThat(PyJson.dumps(-0.0, false, null, null, null, false)).isEqualTo("-0.0");
    }

    @Test
    void escapesDeleteOnlyWhenAsciiIsEnsured() {
        // json.dumps('\x7f\x1f'), json.dumps('\x7f\x1f', ensure_ascii=False)
        assertThat(PyJson.dumps("\u007f\u001f", true, null, null, null, false)).isEqualTo("\"\\u007f\\u001f\"");
        assertThat(PyJson.dumps("\u007f\u001f", false, null, null, null, false)).isEqualTo("\"\u007f\\u001f\"");
    }

    @Test
    void convertsKeysAndTakesPythonsFormattingOptions() {
        // json.dumps({7: 'a', 2.5: 'b', True: 'c', None: 'd'})
        Map<Object, Object> keys = new LinkedHashMap<>();
        keys.put(7L, "a");
        keys.put(2.5, "b");
        keys.put(true, "c");
        keys.put(null, "d");
        assertThat(PyJson.dumps(keys, true, null, null, null, false))
                .isEqualTo("{\"7\": \"a\", \"2.5\": \"b\", \"true\": \"c\", \"null\": \"d\"}");
        // json.dumps({'a': [1], 'b': {}}, indent='\t'); json.dumps({'a': [1, 2]}, separators=(',', ':'))
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", List.of(1));
        value.put("b", Map.of());
        assertThat(PyJson.dumps(value, true, "\t", null, null, false))
                .isEqualTo("{\n\t\"a\": [\n\t\t1\n\t],\n\t\"b\": {}\n}");
        assertThat(PyJson.dumps(Map.of("a", List.of(1, 2)), true, null, ",", ":", false))
                .isEqualTo("{\"a\":[1,2]}");
        // json.dumps({"b": 1, "a": 2}, indent=-1, sort_keys=True)
        Map<String, Object> unsorted = new LinkedHashMap<>();
        unsorted.put("b", 1);
        unsorted.put("a", 2);
        assertThat(PyJson.dumps(unsorted, true, -1, null, null, true)).isEqualTo("{\n\"a\": 2,\n\"b\": 1\n}");
    }

    /** lm-eval writes Jackson trees, chat templates Java objects: the same value must give the same text. */
    @Test
    void jsonTreesAndJavaValuesWriteTheSame() {
        String json = "{\"text\": \"é 🙂 \u2028 \\u0000\", \"n\": [1, 2.0, null, true, false, {\"x\": []}], "
                + "\"big\": 123456789012345678901234567890}";
        JsonNode tree = MAPPER.readTree(json);
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("x", List.of());
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("text", "é 🙂 \u2028 \u0000");
        java.put("n", new ArrayList<>(Arrays.asList(1L, 2.0, null, true, false, inner)));
        java.put("big", new BigInteger("123456789012345678901234567890"));
        // json.dumps(d, ensure_ascii=..., indent=...) for both settings of each
        List<String> python = List.of(
                "{\"text\": \"é 🙂 \u2028 \\u0000\", \"n\": [1, 2.0, null, true, false, {\"x\": []}], "
                        + "\"big\": 123456789012345678901234567890}",
                "{\n  \"text\": \"é 🙂 \u2028 \\u0000\",\n  \"n\": [\n    1,\n    2.0,\n    null,\n    true,\n"
                        + "    false,\n    {\n      \"x\": []\n    }\n  ],\n"
                        + "  \"big\": 123456789012345678901234567890\n}",
                "{\"text\": \"\\u00e9 \\ud83d\\ude42 \\u2028 \\u0000\", \"n\": [1, 2.0, null, true, false, "
                        + "{\"x\": []}], \"big\": 123456789012345678901234567890}",
                "{\n  \"text\": \"\\u00e9 \\ud83d\\ude42 \\u2028 \\u0000\",\n  \"n\": [\n    1,\n    2.0,\n"
                        + "    null,\n    true,\n    false,\n    {\n      \"x\": []\n    }\n  ],\n"
                        + "  \"big\": 123456789012345678901234567890\n}");
        int i = 0;
        for (boolean ensureAscii : new boolean[] {false, true}) {
            for (Integer indent : Arrays.asList(null, 2)) {
                String expected = python.get(i++);
                assertThat(PyJson.dumps(tree, ensureAscii, indent, null, null, false))
                        .isEqualTo(expected);
                assertThat(PyJson.dumps(java, ensureAscii, indent, null, null, false))
                        .isEqualTo(expected);
            }
        }
        assertThat(PyJson.dumps(tree)).isEqualTo(python.get(0));
        assertThat(PyJson.dumps(tree, 2)).isEqualTo(python.get(1));
    }
}
