package ai.assay.core.lmeval.python;

import ai.assay.core.python.PyFloats;
import ai.assay.core.python.PyStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Dataset values as the Python objects lm-eval's code sees: {@link String}, {@link Long} (int), {@link Double}
 * (float), {@link Boolean}, {@link #NONE}, {@link List} (list) and {@link Map} (dict, in order).
 */
public final class PyValues {

    /** Python's None. */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private PyValues() {
    }

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

    /** {@code str(value)}. */
    public static String str(Object value) {
        if (value instanceof String s) {
            return s;
        }
        return repr(value);
    }

    /** {@code repr(value)}. */
    public static String repr(Object value) {
        if (value == NONE || value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return PyStrings.repr(s);
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        if (value instanceof Double d) {
            return PyFloats.repr(d);
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(repr(list.get(i)));
            }
            return out.append(']').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            boolean first = true;
            for (var entry : map.entrySet()) {
                out.append(first ? "" : ", ").append(repr(entry.getKey())).append(": ").append(repr(entry.getValue()));
                first = false;
            }
            return out.append('}').toString();
        }
        throw new IllegalArgumentException("not a Python value: " + value.getClass());
    }

    /** Python's {@code ==} for these values (1 == 1.0, lists and dicts element by element). */
    public static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Double && b instanceof Double)) {
            return x.doubleValue() == y.doubleValue() && (x instanceof Double || y instanceof Double
                    || x.longValue() == y.longValue());
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
