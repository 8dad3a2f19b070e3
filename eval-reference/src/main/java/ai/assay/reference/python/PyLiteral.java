package ai.assay.reference.python;

import java.math.BigInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The part of Python's {@code ast.literal_eval} that judge answers use: strings (quotes, triple quotes, {@code r}/
 * {@code u} prefixes, escapes, implicit concatenation), integers, floats, {@code True}/{@code False}/{@code None},
 * unary signs, lists, tuples, sets and dicts. The value becomes a Jackson tree: lists, tuples and sets become arrays,
 * dicts objects (non-string keys by their text, e.g. {@code 1}), {@code None} null. Anything else (bytes, complex
 * numbers, names, calls, operators) is rejected, as {@code literal_eval} rejects what is not a literal. The string
 * escapes ({@link #unescape}) are also those of the Jinja string literals in chat templates.
 */
public final class PyLiteral {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String text;
    private int pos;

    private PyLiteral(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException if the text is not a supported Python literal */
    public static JsonNode parse(String text) {
        PyLiteral parser = new PyLiteral(text);
        parser.skipSpace();
        JsonNode value = parser.value();
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected text after the literal");
        }
        return value;
    }

    /**
     * Where the literal that starts at {@code start} of {@code text} ends (the index after it), for a literal
     * inside Python source, such as the list a function returns.
     *
     * @throws IllegalArgumentException if no supported literal starts there
     */
    public static int end(String text, int start) {
        PyLiteral parser = new PyLiteral(text);
        parser.pos = start;
        parser.value();
        return parser.pos;
    }

    private JsonNode value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '[':
                pos++;
                return sequence(']', false);
            case '(':
                pos++;
                return sequence(')', true);
            case '{':
                pos++;
                return dictOrSet();
            case '+':
            case '-':
                return signedNumber();
            default:
                break;
        }
        if (c == '\'' || c == '"' || isStringPrefix()) {
            return NODES.stringNode(strings());
        }
        if (Character.isDigit(c) || c == '.') {
            return number(false);
        }
        if (Character.isLetter(c) || c == '_') {
            String name = identifier();
            return switch (name) {
                case "True" -> NODES.booleanNode(true);
                case "False" -> NODES.booleanNode(false);
                case "None" -> NODES.nullNode();
                default -> throw error("'" + name + "' is not a literal");
            };
        }
        throw error("unexpected character '" + c + "'");
    }

    /** A list or a tuple; a parenthesised single value without a comma is that value itself. */
    private JsonNode sequence(char close, boolean tuple) {
        ArrayNode items = NODES.arrayNode();
        boolean sawComma = false;
        skipSpace();
        while (!consume(close)) {
            items.add(value());
            skipSpace();
            if (consume(',')) {
                sawComma = true;
                skipSpace();
            } else if (!peek(close)) {
                throw error("expected ',' or '" + close + "'");
            }
        }
        if (tuple && items.size() == 1 && !sawComma) {
            return items.get(0);
        }
        return items;
    }

    private JsonNode dictOrSet() {
        skipSpace();
        if (consume('}')) {
            return NODES.objectNode();
        }
        JsonNode first = value();
        skipSpace();
        if (consume(':')) {
            ObjectNode dict = NODES.objectNode();
            dict.set(key(first), value());
            skipSpace();
            while (consume(',')) {
                skipSpace();
                if (consume('}')) {
                    return dict;
                }
                JsonNode key = value();
                skipSpace();
                if (!consume(':')) {
                    throw error("expected ':' in a dict");
                }
                dict.set(key(key), value());
                skipSpace();
            }
            if (!consume('}')) {
                throw error("expected ',' or '}'");
            }
            return dict;
        }
        ArrayNode set = NODES.arrayNode();
        set.add(first);
        while (consume(',')) {
            skipSpace();
            if (consume('}')) {
                return set;
            }
            set.add(value());
            skipSpace();
        }
        if (!consume('}')) {
            throw error("expected ',' or '}'");
        }
        return set;
    }

    private String key(JsonNode key) {
        if (key.isString()) {
            return key.stringValue();
        }
        if (key.isContainer()) {
            throw error("unhashable dict key");
        }
        return key.isNull() ? "None" : key.isBoolean() ? (key.booleanValue() ? "True" : "False") : key.asString();
    }

    private JsonNode signedNumber() {
        boolean negative = false;
        while (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
            negative ^= text.charAt(pos) == '-';
            pos++;
            skipSpace();
        }
        if (pos >= text.length() || !(Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            throw error("a sign must be followed by a number");
        }
        return number(negative);
    }

    private JsonNode number(boolean negative) {
        int start = pos;
        if (text.startsWith("0x", pos)
                || text.startsWith("0X", pos)
                || text.startsWith("0o", pos)
                || text.startsWith("0O", pos)
                || text.startsWith("0b", pos)
                || text.startsWith("0B", pos)) {
            int radix = switch (Character.toLowerCase(text.charAt(pos + 1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            pos += 2;
            int digitsStart = pos;
            while (pos < text.length() && (Character.digit(text.charAt(pos), radix) >= 0 || text.charAt(pos) == '_')) {
                pos++;
            }
            return integer(text.substring(digitsStart, pos), radix, negative, start);
        }
        boolean isFloat = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isDigit(c) || c == '_') {
                pos++;
            } else if (c == '.') {
                isFloat = true;
                pos++;
            } else if ((c == 'e' || c == 'E') && pos + 1 < text.length()) {
                isFloat = true;
                pos++;
                if (text.charAt(pos) == '+' || text.charAt(pos) == '-') {
                    pos++;
                }
            } else {
                break;
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'j' || text.charAt(pos) == 'J')) {
            throw error("complex numbers are not supported");
        }
        String literal = text.substring(start, pos);
        if (!isFloat) {
            if (literal.length() > 1
                    && literal.charAt(0) == '0'
                    && !literal.replace("_", "").matches("0+")) {
                throw error("leading zeros in a decimal integer");
            }
            return integer(literal, 10, negative, start);
        }
        String cleaned = cleanUnderscores(literal, start);
        try {
            double value = Double.parseDouble(cleaned);
            return NODES.numberNode(negative ? -value : value);
        } catch (NumberFormatException e) {
            throw error("invalid number '" + literal + "'");
        }
    }

    private JsonNode integer(String digits, int radix, boolean negative, int start) {
        String cleaned = cleanUnderscores(digits, start);
        if (cleaned.isEmpty()) {
            throw error("invalid integer");
        }
        BigInteger value = new BigInteger(cleaned, radix);
        if (negative) {
            value = value.negate();
        }
        return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    private String cleanUnderscores(String literal, int start) {
        if (literal.startsWith("_") || literal.endsWith("_") || literal.contains("__")) {
            pos = start;
            throw error("misplaced '_' in a number");
        }
        return literal.replace("_", "");
    }

    private boolean isStringPrefix() {
        int end = pos;
        while (end < text.length() && end - pos < 2 && Character.isLetter(text.charAt(end))) {
            end++;
        }
        if (end == pos || end >= text.length()) {
            return false;
        }
        char quote = text.charAt(end);
        if (quote != '\'' && quote != '"') {
            return false;
        }
        String prefix = text.substring(pos, end).toLowerCase();
        if (prefix.contains("b")) {
            throw error("bytes literals are not supported");
        }
        if (prefix.contains("f")) {
            throw error("f-strings are not literals");
        }
        return prefix.equals("r") || prefix.equals("u");
    }

    /** One or more adjacent string literals, concatenated. */
    private String strings() {
        StringBuilder out = new StringBuilder();
        do {
            string(out);
            skipSpace();
        } while (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"' || isStringPrefix()));
        return out.toString();
    }

    private void string(StringBuilder out) {
        boolean raw = false;
        while (Character.isLetter(text.charAt(pos))) {
            raw |= Character.toLowerCase(text.charAt(pos)) == 'r';
            pos++;
        }
        char quote = text.charAt(pos);
        String closing = text.startsWith(String.valueOf(quote).repeat(3), pos)
                ? String.valueOf(quote).repeat(3)
                : String.valueOf(quote);
        pos += closing.length();
        int start = pos;
        for (; ; ) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (text.startsWith(closing, pos)) {
                break;
            }
            if (c == '\n' && closing.length() == 1) {
                throw error("newline in a single-quoted string");
            }
            if (c == '\\') {
                if (pos + 1 >= text.length()) {
                    throw error("unterminated string");
                }
                pos += 2; // an escaped character never ends the string, in raw strings too
                continue;
            }
            pos++;
        }
        String body = text.substring(start, pos);
        pos += closing.length();
        if (raw) {
            out.append(body);
            return;
        }
        try {
            out.append(unescape(body));
        } catch (IllegalArgumentException e) {
            pos = start;
            throw error(e.getMessage());
        }
    }

    /**
     * The escapes of a (non-raw) Python string literal's body decoded, as the compiler and the
     * {@code unicode-escape} codec decode them: the one-letter escapes such as {@code \n}, octal ({@code \101}),
     * hexadecimal with two, four or eight digits ({@code \x41} and the {@code u} and {@code U} forms), named
     * characters ({@code \N{BULLET}}), a backslash before a newline continuing the line; an unknown escape such as
     * {@code \d} stays as it is.
     *
     * @throws IllegalArgumentException for a truncated or malformed hexadecimal or named escape
     */
    public static String unescape(String literal) {
        if (literal.indexOf('\\') < 0) {
            return literal;
        }
        StringBuilder out = new StringBuilder(literal.length());
        int i = 0;
        int n = literal.length();
        while (i < n) {
            char c = literal.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                i++;
                continue;
            }
            char e = literal.charAt(i + 1);
            i += 2;
            switch (e) {
                case '\n' -> {}
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + digits > n || !isHex(literal, i, digits)) {
                        throw new IllegalArgumentException("truncated \\" + e + " escape");
                    }
                    long value = Long.parseLong(literal.substring(i, i + digits), 16);
                    if (value > Character.MAX_CODE_POINT) {
                        throw new IllegalArgumentException("escape outside Unicode");
                    }
                    out.appendCodePoint((int) value);
                    i += digits;
                }
                case 'N' -> {
                    int close = literal.indexOf('}', i);
                    if (i >= n || literal.charAt(i) != '{' || close < 0) {
                        throw new IllegalArgumentException("malformed \\N{...} escape");
                    }
                    out.appendCodePoint(namedCharacter(literal.substring(i + 1, close)));
                    i = close + 1;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int value = e - '0';
                        int k = 0;
                        while (k < 2 && i < n && literal.charAt(i) >= '0' && literal.charAt(i) <= '7') {
                            value = value * 8 + (literal.charAt(i) - '0');
                            i++;
                            k++;
                        }
                        out.append((char) value);
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Python's hex escapes take ASCII digits only (Java's {@link Character#digit} also reads other scripts'). */
    private static boolean isHex(String s, int from, int count) {
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c >= 0x80 || Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The character {@code \N{name}} names; unlike {@link Character#codePointOf}, Python trims no spaces. */
    private static int namedCharacter(String name) {
        if (name.isEmpty() || !name.equals(name.trim())) {
            throw new IllegalArgumentException("unknown Unicode character name '" + name + "'");
        }
        try {
            return Character.codePointOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown Unicode character name '" + name + "'", e);
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
            } else {
                break;
            }
        }
    }

    private boolean consume(char c) {
        if (peek(c)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("not a Python literal (" + message + " at " + pos + ")");
    }
}
