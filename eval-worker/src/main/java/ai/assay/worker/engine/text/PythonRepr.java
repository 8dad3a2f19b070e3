package ai.assay.worker.engine.text;

import ai.assay.core.python.PyFloats;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Python's {@code str()} and {@code repr()} of template values, which is how Jinja2 prints {@code {{ x }}}. */
final class PythonRepr {

    private PythonRepr() {
    }

    /** What Jinja2 outputs for a value; null (Jinjava's undefined and none alike) prints as nothing. */
    static String str(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return value.toString();
        }
        return repr(value);
    }

    static String repr(Object value) {
        StringBuilder out = new StringBuilder();
        appendRepr(out, value);
        return out.toString();
    }

    private static void appendRepr(StringBuilder out, Object value) {
        if (value == null) {
            out.append("None");
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof CharSequence || value instanceof Character) {
            appendStringRepr(out, value.toString());
        } else if (value instanceof Double || value instanceof Float) {
            out.append(PyFloats.repr(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal decimal) {
            out.append(PyFloats.repr(decimal.doubleValue()));
        } else if (value instanceof Map.Entry<?, ?> pair) {
            out.append('(');
            appendRepr(out, pair.getKey());
            out.append(", ");
            appendRepr(out, pair.getValue());
            out.append(')');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> entry = entries.next();
                appendRepr(out, entry.getKey());
                out.append(": ");
                appendRepr(out, entry.getValue());
                if (entries.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (value instanceof Collection<?> || value instanceof Object[]) {
            Iterable<?> items = value instanceof Collection<?> c ? c : Arrays.asList((Object[]) value);
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                if (!first) {
                    out.append(", ");
                }
                appendRepr(out, item);
                first = false;
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }

    /** Single quotes unless the text has a single quote and no double quote; non-printables escaped. */
    private static void appendStringRepr(StringBuilder out, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (printable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp < 0x100) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x10000) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        }
        out.append(quote);
    }

    /** Python's str.isprintable for one code point. */
    private static boolean printable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
