package ai.assay.reference.lmeval.template;

import ai.assay.reference.python.PyStrings;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of Jinja that lm-eval task files use, rendered as lm-eval renders it (strict about undefined names,
 * trailing newline kept): text; {@code {{ expr }}}; {@code {% set name = expr %}}; {@code {# comments #}}; the
 * {@code -} whitespace trims. Expressions: names, string and integer literals, list literals, {@code a.b},
 * {@code a[i]}, {@code +}, and the methods {@code strip lstrip rstrip lower upper replace index}. Anything else is
 * refused when the task is loaded, so a task file never renders differently from lm-eval by accident.
 */
public final class Template {

    private sealed interface Part permits Text, Output, Set {}

    private record Text(String text) implements Part {}

    private record Output(Expr expr) implements Part {}

    private record Set(String name, Expr expr) implements Part {}

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    public static Template parse(String source) {
        return new Template(source, new Parser(source).parts());
    }

    public String source() {
        return source;
    }

    /** Whether the template contains no Jinja at all. */
    public boolean isPlainText() {
        return parts.stream().allMatch(part -> part instanceof Text);
    }

    /** Renders to text, with Python's {@code str()} of every output value. */
    public String render(Map<String, Object> variables) {
        Map<String, Object> scope = new HashMap<>(variables);
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text text) {
                out.append(text.text());
            } else if (part instanceof Output output) {
                out.append(PyValues.str(output.expr().evaluate(scope)));
            } else if (part instanceof Set set) {
                scope.put(set.name(), set.expr().evaluate(scope));
            }
        }
        return out.toString();
    }

    /**
     * The value of a template that is one output expression and nothing else (so {@code "{{choices.text}}"} gives
     * the list itself: lm-eval renders it and reads it back with {@code ast.literal_eval}, which is the same), or
     * null for any other template.
     */
    public Object singleValue(Map<String, Object> variables) {
        List<Part> significant = parts.stream()
                .filter(p -> !(p instanceof Text t && t.text().isEmpty()))
                .toList();
        if (significant.size() == 1 && significant.get(0) instanceof Output output) {
            return output.expr().evaluate(new HashMap<>(variables));
        }
        return null;
    }

    // ----------------------------------------------------------------------------------------- expressions

    private interface Expr {
        Object evaluate(Map<String, Object> scope);
    }

    private record Literal(Object value) implements Expr {
        public Object evaluate(Map<String, Object> scope) {
            return value;
        }
    }

    private record Name(String name) implements Expr {
        public Object evaluate(Map<String, Object> scope) {
            if (!scope.containsKey(name)) {
                throw new TemplateException("'%s' is undefined".formatted(name));
            }
            return scope.get(name);
        }
    }

    private record ListLiteral(List<Expr> elements) implements Expr {
        public Object evaluate(Map<String, Object> scope) {
            List<Object> list = new ArrayList<>();
            elements.forEach(e -> list.add(e.evaluate(scope)));
            return list;
        }
    }

    private record Attribute(Expr target, String name) implements Expr {
        public Object evaluate(Map<String, Object> scope) {
            Object value = target.evaluate(scope);
            if (value instanceof Map<?, ?> map && map.containsKey(name)) {
                return map.get(name);
            }
            throw new TemplateException("'%s' has no attribute '%s'".formatted(PyValues.repr(value), name));
        }
    }

    private record Subscript(Expr target, Expr index) implements Expr {
        public Object evaluate(Map<String, Object> scope) {
            Object value = target.evaluate(scope);
            Object key = index.evaluate(scope);
            if (value instanceof Map<?, ?> map && key instanceof String s && map.containsKey(s)) {
                return map.get(s);
            }
            if (key instanceof Long i) {
                if (value instanceof List<?> list) {
                    return list.get(position(i, list.size()));
                }
                if (value instanceof String s) {
                    int[] cps = s.codePoints().toArray();
                    return new String(cps, position(i, cps.length), 1);
                }
            }
            throw new TemplateException("cannot index %s with %s".formatted(PyValues.repr(value), PyValues.repr(key)));
        }

        private static int position(long i, int size) {
            long p = i < 0 ? size + i : i;
            if (p < 0 || p >= size) {
                throw new TemplateException("index %d out of range".formatted(i));
            }
            return (int) p;
        }
    }

    private record Add(Expr left, Expr right) implements Expr {
        public Object evaluate(Map<String, Object> scope) {
            Object a = left.evaluate(scope);
            Object b = right.evaluate(scope);
            if (a instanceof String x && b instanceof String y) {
                return x + y;
            }
            if (a instanceof Long x && b instanceof Long y) {
                return x + y;
            }
            if (a instanceof List<?> x && b instanceof List<?> y) {
                List<Object> joined = new ArrayList<>(x);
                joined.addAll(y);
                return joined;
            }
            throw new TemplateException("cannot add %s and %s".formatted(PyValues.repr(a), PyValues.repr(b)));
        }
    }

    private record Call(Expr target, String method, List<Expr> arguments) implements Expr {
        public Object evaluate(Map<String, Object> scope) {
            Object value = target.evaluate(scope);
            List<Object> args = arguments.stream().map(a -> a.evaluate(scope)).toList();
            if (value instanceof String s) {
                switch (method) {
                    case "strip" -> {
                        return noArgs(args, PyStrings.strip(s));
                    }
                    case "lstrip" -> {
                        return noArgs(args, PyStrings.lstrip(s));
                    }
                    case "rstrip" -> {
                        return noArgs(args, PyStrings.rstrip(s));
                    }
                    case "lower" -> {
                        return noArgs(args, s.toLowerCase(java.util.Locale.ROOT));
                    }
                    case "upper" -> {
                        return noArgs(args, s.toUpperCase(java.util.Locale.ROOT));
                    }
                    case "replace" -> {
                        if (args.size() == 2 && args.get(0) instanceof String a && args.get(1) instanceof String b) {
                            return s.replace(a, b);
                        }
                    }
                    default -> {}
                }
            }
            if (value instanceof List<?> list && method.equals("index") && args.size() == 1) {
                for (int i = 0; i < list.size(); i++) {
                    if (PyValues.equal(list.get(i), args.get(0))) {
                        return (long) i;
                    }
                }
                throw new TemplateException("%s is not in list".formatted(PyValues.repr(args.get(0))));
            }
            throw new TemplateException(
                    "cannot call %s(%d arguments) on %s".formatted(method, args.size(), PyValues.repr(value)));
        }

        private static Object noArgs(List<Object> args, Object result) {
            if (!args.isEmpty()) {
                throw new TemplateException("this method takes no arguments");
            }
            return result;
        }
    }

    // ----------------------------------------------------------------------------------------- parser

    private static final class Parser {

        private final String src;
        private int pos;

        Parser(String src) {
            this.src = src;
        }

        List<Part> parts() {
            List<Part> parts = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            boolean trimNext = false;
            while (pos < src.length()) {
                int open = nextTag(pos);
                String chunk = open < 0 ? src.substring(pos) : src.substring(pos, open);
                if (trimNext) {
                    chunk = PyStrings.lstrip(chunk);
                    trimNext = false;
                }
                text.append(chunk);
                if (open < 0) {
                    break;
                }
                char kind = src.charAt(open + 1);
                pos = open + 2;
                if (pos < src.length() && src.charAt(pos) == '-') {
                    String trimmed = PyStrings.rstrip(text.toString());
                    text.setLength(0);
                    text.append(trimmed);
                    pos++;
                }
                if (!text.isEmpty()) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                if (kind == '#') {
                    int close = src.indexOf("#}", pos);
                    if (close < 0) {
                        throw error("unclosed comment");
                    }
                    trimNext = src.charAt(close - 1) == '-';
                    pos = close + 2;
                    continue;
                }
                skipSpaces();
                if (kind == '{') {
                    parts.add(new Output(expression()));
                    trimNext = closeTag('}');
                } else {
                    String keyword = identifier();
                    if (!keyword.equals("set")) {
                        throw error("only {% set %} statements are supported, not {% " + keyword + " %}");
                    }
                    skipSpaces();
                    String name = identifier();
                    skipSpaces();
                    expect('=');
                    Expr value = expression();
                    parts.add(new Set(name, value));
                    trimNext = closeTag('%');
                }
            }
            if (!text.isEmpty()) {
                parts.add(new Text(text.toString()));
            }
            return parts;
        }

        private int nextTag(int from) {
            for (int i = from; i < src.length() - 1; i++) {
                if (src.charAt(i) == '{') {
                    char next = src.charAt(i + 1);
                    if (next == '{' || next == '%' || next == '#') {
                        return i;
                    }
                }
            }
            return -1;
        }

        /** Reads the end of a tag; returns whether it asks to trim the whitespace after it. */
        private boolean closeTag(char closing) {
            skipSpaces();
            boolean trim = false;
            if (peek() == '-') {
                trim = true;
                pos++;
            }
            if (!src.startsWith(closing + "}", pos)) {
                throw error("expected '" + closing + "}'");
            }
            pos += 2;
            return trim;
        }

        private Expr expression() {
            Expr left = postfix();
            skipSpaces();
            while (peek() == '+') {
                pos++;
                Expr right = postfix();
                left = new Add(left, right);
                skipSpaces();
            }
            return left;
        }

        private Expr postfix() {
            Expr expr = primary();
            while (true) {
                if (peek() == '.') {
                    pos++;
                    String name = identifier();
                    if (peek() == '(') {
                        pos++;
                        List<Expr> args = new ArrayList<>();
                        skipSpaces();
                        while (peek() != ')') {
                            args.add(expression());
                            skipSpaces();
                            if (peek() == ',') {
                                pos++;
                                skipSpaces();
                            }
                        }
                        pos++;
                        expr = new Call(expr, name, args);
                    } else {
                        expr = new Attribute(expr, name);
                    }
                } else if (peek() == '[') {
                    pos++;
                    Expr index = expression();
                    skipSpaces();
                    expect(']');
                    expr = new Subscript(expr, index);
                } else {
                    return expr;
                }
            }
        }

        private Expr primary() {
            skipSpaces();
            char c = peek();
            if (c == '\'' || c == '"') {
                return new Literal(string(c));
            }
            if (c >= '0' && c <= '9' || c == '-') {
                int start = pos;
                pos++;
                while (Character.isDigit(peek())) {
                    pos++;
                }
                return new Literal(Long.parseLong(src.substring(start, pos)));
            }
            if (c == '(') {
                pos++;
                Expr inner = expression();
                skipSpaces();
                expect(')');
                return inner;
            }
            if (c == '[') {
                pos++;
                List<Expr> elements = new ArrayList<>();
                skipSpaces();
                while (peek() != ']') {
                    elements.add(expression());
                    skipSpaces();
                    if (peek() == ',') {
                        pos++;
                        skipSpaces();
                    }
                }
                pos++;
                return new ListLiteral(elements);
            }
            String name = identifier();
            return switch (name) {
                case "None", "none" -> new Literal(PyValues.NONE);
                case "True", "true" -> new Literal(Boolean.TRUE);
                case "False", "false" -> new Literal(Boolean.FALSE);
                default -> new Name(name);
            };
        }

        /** A Jinja string literal: Python escapes (\n, \t, \\, \', \") are decoded, other characters kept. */
        private String string(char quote) {
            pos++;
            StringBuilder out = new StringBuilder();
            while (pos < src.length() && src.charAt(pos) != quote) {
                char c = src.charAt(pos++);
                if (c == '\\' && pos < src.length()) {
                    char e = src.charAt(pos++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case '\\' -> out.append('\\');
                        case '\'' -> out.append('\'');
                        case '"' -> out.append('"');
                        case '\n' -> {}
                        default -> throw error("unsupported escape \\" + e);
                    }
                } else if (c == '\r') {
                    if (peek() == '\n') {
                        pos++;
                    }
                    out.append('\n');
                } else {
                    out.append(c);
                }
            }
            if (pos >= src.length()) {
                throw error("unclosed string");
            }
            pos++;
            return out.toString();
        }

        private String identifier() {
            skipSpaces();
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a name");
            }
            return src.substring(start, pos);
        }

        private void expect(char c) {
            skipSpaces();
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < src.length() ? src.charAt(pos) : '\0';
        }

        private void skipSpaces() {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
        }

        private TemplateException error(String message) {
            return new TemplateException(
                    "%s at character %d of template %s".formatted(message, pos, PyStrings.repr(src)));
        }
    }
}
