package ai.assay.core.lmeval.python;

import ai.assay.core.python.PyFloats;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Python's {@code json.dumps(value, ensure_ascii=False)} and {@code json.dumps(value, indent=2,
 * ensure_ascii=False)}, byte for byte: lm-eval hashes documents serialized this way ({@code doc_hash}) and writes
 * its samples files with it. Floats are written as {@code repr} writes them, so 1.0 stays {@code 1.0}.
 */
public final class PyJson {

    private PyJson() {
    }

    /** {@code json.dumps(value, ensure_ascii=False)}: separators {@code ", "} and {@code ": "}. */
    public static String dumps(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out, -1, 0);
        return out.toString();
    }

    /** {@code json.dumps(value, indent=indent, ensure_ascii=False)}: separators {@code ","} and {@code ": "}. */
    public static String dumps(JsonNode value, int indent) {
        StringBuilder out = new StringBuilder();
        write(value, out, indent, 0);
        return out.toString();
    }

    private static void write(JsonNode value, StringBuilder out, int indent, int level) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            out.append("null");
        } else if (value.isBoolean()) {
            out.append(value.booleanValue() ? "true" : "false");
        } else if (value.isIntegralNumber()) {
            out.append(value.bigIntegerValue().toString());
        } else if (value.isNumber()) {
            double d = value.doubleValue();
            out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : PyFloats.repr(d));
        } else if (value.isString()) {
            string(value.stringValue(), out);
        } else if (value.isArray()) {
            if (value.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (JsonNode element : value) {
                separate(out, indent, level + 1, first);
                first = false;
                write(element, out, indent, level + 1);
            }
            close(out, indent, level, ']');
        } else if (value.isObject()) {
            if (value.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> member : value.properties()) {
                separate(out, indent, level + 1, first);
                first = false;
                string(member.getKey(), out);
                out.append(": ");
                write(member.getValue(), out, indent, level + 1);
            }
            close(out, indent, level, '}');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getNodeType() + " as JSON");
        }
    }

    private static void separate(StringBuilder out, int indent, int level, boolean first) {
        if (indent < 0) {
            if (!first) {
                out.append(", ");
            }
        } else {
            if (!first) {
                out.append(',');
            }
            out.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static void close(StringBuilder out, int indent, int level, char bracket) {
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * level));
        }
        out.append(bracket);
    }

    /** A JSON string as {@code json} writes it without ensure_ascii: only quotes, backslashes and controls escaped. */
    public static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
