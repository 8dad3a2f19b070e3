package ai.assay.reference.python;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Dataset values as the Python objects lm-eval's code sees: {@link String}, {@link Long} (int), {@link Double}
 * (float), {@link Boolean}, {@link #NONE}, {@link List} (list) and {@link Map} (dict, in order); and Python's
 * {@code str()} and {@code repr()} of those and of the Java values chat templates hold (null is None there too,
 * other integer and float types, {@link Map.Entry} a tuple, any {@link Collection} or array a list).
 */
public final class PyValues {

    /** Python's None. */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private PyValues() {}

    public static Object of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(of(element)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.properties().forEach(member -> map.put(member.getKey(), of(member.getValue())));
        return map;
    }

    /** Back to JSON (for values that end up in records, such as a target list). */
    public static JsonNode toJson(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == NONE || value == null) {
            return f.nullNode();
        }
        if (value instanceof String s) {
            return f.stringNode(s);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Long l) {
            return f.numberNode(l);
        }
        if (value instanceof Integer i) {
            return f.numberNode(i.longValue());
        }
        if (value instanceof Double d) {
            return f.numberNode(d);
        }
        if (value instanceof List<?> list) {
            var array = f.arrayNode();
            list.forEach(element -> array.add(toJson(element)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            var object = f.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        throw new IllegalArgumentException("not a Python value: " + value.getClass());
    }

    /**
     * {@code str(value)}.
     *
     * @throws IllegalArgumentException for a value (at any depth) that is none of the Python values above
     */
    public static String str(Object value) {
        return str(value, PyValues::notAPythonValue);
    }

    /** {@code str(value)}, with {@code other} writing what is none of the Python values above. */
    public static String str(Object value, Function<Object, String> other) {
        if (value instanceof CharSequence || value instanceof Character) {
            return value.toString();
        }
        return repr(value, other);
    }

    /**
     * {@code repr(value)}.
     *
     * @throws IllegalArgumentException for a value (at any depth) that is none of the Python values above
     */
    public static String repr(Object value) {
        return repr(value, PyValues::notAPythonValue);
    }

    /** {@code repr(value)}, with {@code other} writing what is none of the Python values above. */
    public static String repr(Object value, Function<Object, String> other) {
        StringBuilder out = new StringBuilder();
        appendRepr(out, value, other);
        return out.toString();
    }

    private static void appendRepr(StringBuilder out, Object value, Function<Object, String> other) {
        if (value == NONE || value == null) {
            out.append("None");
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof CharSequence || value instanceof Character) {
            out.append(PyStrings.repr(value.toString()));
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            out.append(PyFloats.repr(((Number) value).doubleValue()));
        } else if (value instanceof Map.Entry<?, ?> pair) {
            out.append('(');
            appendRepr(out, pair.getKey(), other);
            out.append(", ");
            appendRepr(out, pair.getValue(), other);
            out.append(')');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> entry = entries.next();
                appendRepr(out, entry.getKey(), other);
                out.append(": ");
                appendRepr(out, entry.getValue(), other);
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
                appendRepr(out, item, other);
                first = false;
            }
            out.append(']');
        } else {
            out.append(other.apply(value));
        }
    }

    private static String notAPythonValue(Object value) {
        throw new IllegalArgumentException("not a Python value: " + value.getClass());
    }

    /** Python's {@code ==} for these values (1 == 1.0, lists and dicts element by element). */
    public static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Double && b instanceof Double)) {
            return x.doubleValue() == y.doubleValue()
                    && (x instanceof Double || y instanceof Double || x.longValue() == y.longValue());
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (var key : x.keySet()) {
                if (!equal(x.get(key), y.get(key))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a == b || (a != null && a.equals(b));
    }
}
