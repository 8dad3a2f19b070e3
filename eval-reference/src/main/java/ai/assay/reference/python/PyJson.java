package ai.assay.reference.python;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Python's {@code json.dumps}, byte for byte. lm-eval hashes documents serialized with
 * {@code json.dumps(doc, indent=2, ensure_ascii=False)} ({@code doc_hash}) and writes its samples files with
 * {@code json.dumps(line, ensure_ascii=False)}; transformers installs {@code json.dumps} with
 * {@code ensure_ascii=False} as the {@code tojson} filter of chat templates. Floats are written as {@code repr}
 * writes them, so 1.0 stays {@code 1.0}; NaN and infinities as {@code NaN}, {@code Infinity}, {@code -Infinity}.
 *
 * <p>Values are Jackson trees or Java objects: null, {@link Boolean}, strings, integers, floats, {@link Map}s,
 * {@link Collection}s and arrays. Other Java objects are written as the string of their {@code toString()}
 * (lenient, for template values); other Jackson nodes (binary, POJO) are refused.
 */
public final class PyJson {

    private PyJson() {}

    /** {@code json.dumps(value, ensure_ascii=False)}: separators {@code ", "} and {@code ": "}. */
    public static String dumps(JsonNode value) {
        return dumps(value, false, null, null, null, false);
    }

    /** {@code json.dumps(value, indent=indent, ensure_ascii=False)}: separators {@code ","} and {@code ": "}. */
    public static String dumps(JsonNode value, int indent) {
        return dumps(value, false, indent, null, null, false);
    }

    /**
     * {@code json.dumps(value, ensure_ascii=..., indent=..., separators=(item, key), sort_keys=...)}.
     *
     * @param indent        null for one line; a number of spaces or a string to indent with otherwise
     * @param itemSeparator null for Python's default ({@code ", "} on one line, {@code ","} when indenting)
     * @param keySeparator  null for {@code ": "}
     */
    public static String dumps(
            Object value,
            boolean ensureAscii,
            Object indent,
            String itemSeparator,
            String keySeparator,
            boolean sortKeys) {
        String indentUnit = null;
        if (indent instanceof Number number) {
            indentUnit = " ".repeat(Math.max(0, number.intValue()));
        } else if (indent != null) {
            indentUnit = indent.toString();
        }
        String items = itemSeparator != null ? itemSeparator : indentUnit == null ? ", " : ",";
        String keys = keySeparator != null ? keySeparator : ": ";
        StringBuilder out = new StringBuilder();
        write(out, value, new Style(ensureAscii, indentUnit, items, keys, sortKeys), 0);
        return out.toString();
    }

    private record Style(
            boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {}

    private static void write(StringBuilder out, Object value, Style style, int level) {
        if (value instanceof JsonNode node) {
            writeNode(out, node, style, level);
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof CharSequence || value instanceof Character) {
            writeString(out, value.toString(), style.ensureAscii());
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            out.append(floatText(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal decimal) {
            out.append(floatText(decimal.doubleValue()));
        } else if (value instanceof Map<?, ?> map) {
            List<Map.Entry<String, ?>> members = new ArrayList<>(map.size());
            map.forEach((k, v) -> members.add(new AbstractMap.SimpleEntry<>(key(k), v)));
            writeObject(out, members, style, level);
        } else if (value instanceof Collection<?> collection) {
            writeArray(out, collection, style, level);
        } else if (value instanceof Object[] array) {
            writeArray(out, List.of(array), style, level);
        } else {
            writeString(out, value.toString(), style.ensureAscii());
        }
    }

    private static void writeNode(StringBuilder out, JsonNode value, Style style, int level) {
        if (value.isNull() || value.isMissingNode()) {
            out.append("null");
        } else if (value.isBoolean()) {
            out.append(value.booleanValue() ? "true" : "false");
        } else if (value.isIntegralNumber()) {
            out.append(value.bigIntegerValue());
        } else if (value.isNumber()) {
            out.append(floatText(value.doubleValue()));
        } else if (value.isString()) {
            writeString(out, value.stringValue(), style.ensureAscii());
        } else if (value.isArray()) {
            List<JsonNode> elements = new ArrayList<>(value.size());
            value.forEach(elements::add);
            writeArray(out, elements, style, level);
        } else if (value.isObject()) {
            List<Map.Entry<String, ?>> members = new ArrayList<>(value.size());
            members.addAll(value.properties());
            writeObject(out, members, style, level);
        } else {
            throw new IllegalArgumentException("cannot write " + value.getNodeType() + " as JSON");
        }
    }

    private static void writeObject(StringBuilder out, List<Map.Entry<String, ?>> members, Style style, int level) {
        if (members.isEmpty()) {
            out.append("{}");
            return;
        }
        if (style.sortKeys()) {
            members.sort((a, b) -> a.getKey().compareTo(b.getKey()));
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> member : members) {
            if (!first) {
                out.append(style.itemSeparator());
            }
            newline(out, style, level + 1);
            writeString(out, member.getKey(), style.ensureAscii());
            out.append(style.keySeparator());
            write(out, member.getValue(), style, level + 1);
            first = false;
        }
        newline(out, style, level);
        out.append('}');
    }

    private static void writeArray(StringBuilder out, Collection<?> elements, Style style, int level) {
        if (elements.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object element : elements) {
            if (!first) {
                out.append(style.itemSeparator());
            }
            newline(out, style, level + 1);
            write(out, element, style, level + 1);
            first = false;
        }
        newline(out, style, level);
        out.append(']');
    }

    private static void newline(StringBuilder out, Style style, int level) {
        if (style.indent() != null) {
            out.append('\n').append(style.indent().repeat(level));
        }
    }

    /** Python converts non-string keys: True to "true", None to "null", numbers to their repr. */
    private static String key(Object key) {
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (key instanceof Double || key instanceof Float) {
            return floatText(((Number) key).doubleValue());
        }
        return key.toString();
    }

    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return PyFloats.repr(d);
    }

    /**
     * A JSON string as {@code json} writes it: quotes, backslashes and controls escaped, and with
     * {@code ensureAscii} every UTF-16 unit outside printable ASCII as {@code \}{@code uXXXX}.
     */
    private static void writeString(StringBuilder out, String s, boolean ensureAscii) {
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
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
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
