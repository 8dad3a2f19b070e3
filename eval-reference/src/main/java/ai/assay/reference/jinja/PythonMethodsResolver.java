package ai.assay.reference.jinja;

import ai.assay.reference.python.PyStrings;
import ai.assay.reference.python.PyValues;
import com.hubspot.jinjava.objects.SafeString;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Resolves the Python {@code str} methods templates call ({@code .strip()}, {@code .startswith()},
 * {@code .split()} ...) with Python's semantics, {@code dict.get(key, default)} (strict: also
 * {@code dict.get(key)}, None when absent), {@code list.index(x)} (Python
 * equality, ValueError when absent) and {@code s[i]} on strings (one code point, negative from the end). Jinjava
 * would otherwise look for Java methods: {@code startswith} does not exist and {@code split} takes a regular
 * expression.
 *
 * <p>When strict (lm-eval's {@code StrictUndefined}), a lookup Jinja2 would answer with an undefined value (a
 * missing dict key or attribute, a list index out of range, an attribute of a str, number or list) gives a
 * {@link StrictUndefined}, which fails as soon as it is used; Jinjava would give null, which prints as nothing.
 */
final class PythonMethodsResolver extends ELResolver {

    private final boolean strict;

    PythonMethodsResolver(boolean strict) {
        this.strict = strict;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        String name = method.toString();
        Object result;
        if (base instanceof StrictUndefined undefined) {
            throw undefined.failure();
        }
        if (base instanceof String || base instanceof SafeString) {
            result = stringMethod(base.toString(), name, args);
        } else if (base instanceof Map<?, ?> map && name.equals("get") && args.length == 2) {
            Object key = args[0];
            result = map.containsKey(key) ? map.get(key) : args[1];
        } else if (strict && base instanceof Map<?, ?> map && name.equals("get") && args.length == 1) {
            // Python's None for a missing key; Jinjava's Map.get would give null, which prints as nothing.
            result = map.containsKey(args[0]) ? map.get(args[0]) : PyValues.NONE;
        } else if (base instanceof List<?> list && name.equals("index") && args.length == 1) {
            result = index(list, args[0]);
        } else {
            return null;
        }
        if (result == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_HANDLED = new Object();

    private static long index(List<?> list, Object item) {
        for (int i = 0; i < list.size(); i++) {
            if (PyValues.equal(list.get(i), item)) {
                return i;
            }
        }
        // A JinjaException, because Jinjava reports an IllegalArgumentException from here as a missing method.
        throw new JinjaException(JinjaException.Kind.FAILED, PyValues.repr(item, String::valueOf) + " is not in list");
    }

    private static Object stringMethod(String s, String name, Object[] args) {
        switch (name) {
            case "strip":
                return PyStrings.strip(s, optionalString(args, 0));
            case "lstrip":
                return PyStrings.lstrip(s, optionalString(args, 0));
            case "rstrip":
                return PyStrings.rstrip(s, optionalString(args, 0));
            case "startswith":
            case "endswith":
                return affix(s, name.equals("startswith"), args);
            case "split":
                return PyStrings.split(s, optionalString(args, 0), optionalInt(args, 1, -1));
            case "rsplit":
                return PyStrings.rsplit(s, optionalString(args, 0), optionalInt(args, 1, -1));
            case "splitlines":
                return PyStrings.splitlines(s);
            case "upper":
                return s.toUpperCase(Locale.ROOT);
            case "lower":
                return s.toLowerCase(Locale.ROOT);
            case "title":
                return PyStrings.title(s);
            case "capitalize":
                return PyStrings.capitalize(s);
            case "replace":
                if (args.length < 2) {
                    throw new IllegalArgumentException("str.replace takes at least 2 arguments");
                }
                return PyStrings.replace(s, string(args[0]), string(args[1]), optionalInt(args, 2, -1));
            case "find":
                return s.indexOf(string(args[0]));
            case "rfind":
                return s.lastIndexOf(string(args[0]));
            case "count":
                return PyStrings.count(s, string(args[0]));
            case "join":
                return join(s, args);
            case "removeprefix":
                return s.startsWith(string(args[0]))
                        ? s.substring(string(args[0]).length())
                        : s;
            case "removesuffix": {
                String suffix = string(args[0]);
                return !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
            }
            case "isspace":
                return PyStrings.isSpace(s);
            case "isdigit":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isupper":
                return hasCased(s) && s.equals(s.toUpperCase(Locale.ROOT));
            case "islower":
                return hasCased(s) && s.equals(s.toLowerCase(Locale.ROOT));
            default:
                return NOT_HANDLED;
        }
    }

    private static boolean affix(String s, boolean prefix, Object[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException((prefix ? "startswith" : "endswith") + " takes at least 1 argument");
        }
        int start = optionalInt(args, 1, 0);
        int end = optionalInt(args, 2, s.length());
        String region =
                s.substring(clamp(start, s.length()), Math.max(clamp(start, s.length()), clamp(end, s.length())));
        List<String> candidates = new ArrayList<>();
        if (args[0] instanceof Collection<?> options) {
            options.forEach(option -> candidates.add(string(option)));
        } else {
            candidates.add(string(args[0]));
        }
        for (String candidate : candidates) {
            if (prefix ? region.startsWith(candidate) : region.endsWith(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static int clamp(int index, int length) {
        int i = index < 0 ? index + length : index;
        return Math.max(0, Math.min(length, i));
    }

    private static String join(String separator, Object[] args) {
        if (args.length != 1 || !(args[0] instanceof Iterable<?> items)) {
            throw new IllegalArgumentException("str.join takes one iterable");
        }
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(separator);
            }
            out.append(string(item));
            first = false;
        }
        return out.toString();
    }

    private static boolean hasCased(String s) {
        return s.codePoints().anyMatch(cp -> Character.isUpperCase(cp) || Character.isLowerCase(cp));
    }

    private static String string(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("expected a string, got none");
        }
        return value.toString();
    }

    private static String optionalString(Object[] args, int index) {
        return index < args.length && args[index] != null ? args[index].toString() : null;
    }

    private static int optionalInt(Object[] args, int index, int fallback) {
        if (index >= args.length || args[index] == null) {
            return fallback;
        }
        if (args[index] instanceof Number number) {
            return number.intValue();
        }
        throw new IllegalArgumentException("expected an integer, got " + args[index]);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base == null || property == null) {
            return null;
        }
        if (base instanceof StrictUndefined undefined) {
            throw undefined.failure();
        }
        Object value = NOT_HANDLED;
        if ((base instanceof String || base instanceof SafeString) && isInteger(property)) {
            value = character(base.toString(), integer(property));
        } else if (strict) {
            value = strictValue(base, property);
        }
        if (value == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return value;
    }

    /** Jinjava hands some subscripts over as the decimal string of the index. */
    private static boolean isInteger(Object property) {
        return property instanceof Long
                || property instanceof Integer
                || property instanceof String s && s.matches("-?[0-9]{1,18}");
    }

    private static long integer(Object property) {
        return property instanceof Number number ? number.longValue() : Long.parseLong((String) property);
    }

    private Object character(String s, long index) {
        int length = s.codePointCount(0, s.length());
        long at = index < 0 ? index + length : index;
        if (at < 0 || at >= length) {
            return strict ? new StrictUndefined("string index out of range") : NOT_HANDLED;
        }
        int offset = s.offsetByCodePoints(0, (int) at);
        return new String(Character.toChars(s.codePointAt(offset)));
    }

    /** Jinja2's lookups on the values lm-eval documents hold, with an undefined value where Jinja2 gives one. */
    private static Object strictValue(Object base, Object property) {
        if (base instanceof Map<?, ?> map) {
            if (map.containsKey(property)) {
                return map.get(property);
            }
            return new StrictUndefined("'dict object' has no attribute " + PyValues.repr(property, String::valueOf));
        }
        if (base instanceof List<?> list && isInteger(property)) {
            long index = integer(property);
            long at = index < 0 ? index + list.size() : index;
            return at >= 0 && at < list.size()
                    ? list.get((int) at)
                    : new StrictUndefined("list object has no element " + index);
        }
        if (base instanceof List
                || base instanceof String
                || base instanceof SafeString
                || base instanceof Number
                || base instanceof Boolean
                || base == PyValues.NONE) {
            return new StrictUndefined(
                    "%s has no attribute %s".formatted(pythonType(base), PyValues.repr(property, String::valueOf)));
        }
        return NOT_HANDLED;
    }

    private static String pythonType(Object value) {
        if (value instanceof List) {
            return "'list object'";
        }
        if (value instanceof Boolean) {
            return "'bool object'";
        }
        if (value == PyValues.NONE) {
            return "None";
        }
        if (value instanceof Number) {
            return value instanceof Double ? "'float object'" : "'int object'";
        }
        return "'str object'";
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // Never resolves a property: the next resolver in the chain does.
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
