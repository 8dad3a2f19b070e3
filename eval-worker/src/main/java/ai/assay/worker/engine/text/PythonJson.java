package ai.assay.worker.engine.text;

import ai.assay.core.python.PyFloats;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=..., indent=..., separators=..., sort_keys=...)}, which is what
 * transformers installs as the {@code tojson} filter of chat templates (with {@code ensure_ascii=False}).
 */
final class PythonJson {

    private PythonJson() {
    }

    /**
     * @param indent         null for one line; a number of spaces or a string to indent with otherwise
     * @param itemSeparator  null for Python's default (", " on one line, "," when indenting)
     * @param keySeparator   null for ": "
     */
    static String dumps(Object value, boolean ensureAscii, Object indent, String itemSeparator, String keySeparator,
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

    private record Style(boolean ensureAscii, String indent, String itemSeparator, String keySeparator,
            boolean sortKeys) {
    }

    private static void write(StringBuilder out, Object value, Style style, int level) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof CharSequence || value instanceof Character) {
            writeString(out, value.toString(), style.ensureAscii());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            out.append(floatRepr(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal decimal) {
            out.append(floatRepr(decimal.doubleValue()));
        } else if (value instanceof Map<?, ?> map) {
            writeMap(out, map, style, level);
        } else if (value instanceof Collection<?> collection) {
            writeList(out, new ArrayList<>(collection), style, level);
        } else if (value instanceof Object[] array) {
            writeList(out, List.of(array), style, level);
        } else {
            writeString(out, value.toString(), style.ensureAscii());
        }
    }

    private static void writeMap(StringBuilder out, Map<?, ?> map, Style style, int level) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            entries.add(Map.entry(key(entry.getKey()), entry.getValue() == null ? NULL : entry.getValue()));
        }
        if (style.sortKeys()) {
            entries.sort(Map.Entry.comparingByKey());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> entry : entries) {
            if (!first) {
                out.append(style.itemSeparator());
            }
            newline(out, style, level + 1);
            writeString(out, entry.getKey(), style.ensureAscii());
            out.append(style.keySeparator());
            write(out, entry.getValue() == NULL ? null : entry.getValue(), style, level + 1);
            first = false;
        }
        newline(out, style, level);
        out.append('}');
    }

    private static final Object NULL = new Object();

    private static void writeList(StringBuilder out, List<?> list, Style style, int level) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(style.itemSeparator());
            }
            newline(out, style, level + 1);
            write(out, item, style, level + 1);
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
            return floatRepr(((Number) key).doubleValue());
        }
        return key.toString();
    }

    static void writeString(StringBuilder out, String s, boolean ensureAscii) {
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

    /** A float as {@code json} writes it: {@code repr}, but NaN and Infinity as JavaScript spells them. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return PyFloats.repr(d);
    }
}
