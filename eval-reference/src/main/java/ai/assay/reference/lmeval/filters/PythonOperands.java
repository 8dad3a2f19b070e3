package ai.assay.reference.lmeval.filters;

import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the filters and {@code exact_match} do to their operands in Python: iterate them (a str yields its
 * characters), index them, test them for truth. Kept here because the filters apply to whatever the previous step
 * left, a list of responses or, after {@code take_first}, a single one.
 */
final class PythonOperands {

    private PythonOperands() {}

    /** {@code for x in value}: a list's items, a str's characters (code points), a dict's keys. */
    static List<Object> iterate(Object value, String where) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        if (value instanceof String s) {
            return new ArrayList<>(s.codePoints().mapToObj(Character::toString).toList());
        }
        if (value instanceof Map<?, ?> map) {
            return new ArrayList<>(map.keySet());
        }
        if (value instanceof Collection<?> items) {
            return new ArrayList<>(items);
        }
        throw new IllegalArgumentException(where + ": " + typeName(value) + " object is not iterable");
    }

    /** Python's {@code len}. */
    static int length(Object value, String where) {
        return iterate(value, where).size();
    }

    /** Python's truth value of a YAML value. */
    static boolean truthy(Object value) {
        if (value == null || value == PyValues.NONE) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof CharSequence s) {
            return !s.isEmpty();
        }
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** A YAML integer, as a Python int index or count. */
    static int integer(Object value, String where) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Math.toIntExact(((Number) value).longValue());
        }
        throw new IllegalArgumentException(where + " must be an int, was " + PyValues.repr(value, Object::toString));
    }

    /** Python's {@code type(value).__name__} for the values a YAML file or a filter gives. */
    static String typeName(Object value) {
        if (value == null || value == PyValues.NONE) {
            return "'NoneType'";
        }
        if (value instanceof Boolean) {
            return "'bool'";
        }
        if (value instanceof String) {
            return "'str'";
        }
        if (value instanceof Double || value instanceof Float) {
            return "'float'";
        }
        if (value instanceof Number) {
            return "'int'";
        }
        if (value instanceof List<?>) {
            return "'list'";
        }
        if (value instanceof Map<?, ?>) {
            return "'dict'";
        }
        return "'" + value.getClass().getSimpleName() + "'";
    }

    /** Whether Python could use the value as a dict key or Counter element. */
    static boolean hashable(Object value) {
        return !(value instanceof List<?> || value instanceof Map<?, ?>);
    }
}
