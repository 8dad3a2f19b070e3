package ai.assay.reference.python;

/**
 * Whether Python's {@code json.loads(s)} accepts a string, as IFEval's {@code json_format} checker asks. Hand-written
 * because no Java parser accepts exactly Python's language: any value at the top level; {@code NaN},
 * {@code Infinity} and {@code -Infinity} (and no other spelling); numbers
 * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?} with ASCII digits only; whitespace only space, tab, CR
 * and LF; in strings no raw control character below U+0020 ({@code strict=True}), the escapes
 * {@code \" \\ \/ \b \f \n \r \t \\uXXXX}; duplicate keys allowed; nothing but whitespace after the value.
 * <p>Python raises {@code RecursionError} (not {@code ValueError}, so lm-eval would stop) for nesting deeper than
 * its recursion limit, about a thousand levels; here such a text is valid JSON.
 */
public final class PyJsonSyntax {

    private final String s;
    private int i;

    private PyJsonSyntax(String s) {
        this.s = s;
    }

    public static boolean isValid(String text) {
        PyJsonSyntax parser = new PyJsonSyntax(text);
        try {
            parser.skipSpace();
            parser.value();
            parser.skipSpace();
            return parser.i == text.length();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void value() {
        if (i >= s.length()) {
            throw new IllegalStateException();
        }
        char c = s.charAt(i);
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            default -> {
                if (literal("null")
                        || literal("true")
                        || literal("false")
                        || literal("NaN")
                        || literal("Infinity")
                        || literal("-Infinity")) {
                    return;
                }
                number();
            }
        }
    }

    private void object() {
        i++;
        skipSpace();
        if (peek() == '}') {
            i++;
            return;
        }
        while (true) {
            if (peek() != '"') {
                throw new IllegalStateException();
            }
            string();
            skipSpace();
            expect(':');
            skipSpace();
            value();
            skipSpace();
            char c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw new IllegalStateException();
            }
            skipSpace();
        }
    }

    private void array() {
        i++;
        skipSpace();
        if (peek() == ']') {
            i++;
            return;
        }
        while (true) {
            value();
            skipSpace();
            char c = next();
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw new IllegalStateException();
            }
            skipSpace();
        }
    }

    private void string() {
        i++;
        while (true) {
            char c = next();
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw new IllegalStateException();
            }
            if (c == '\\') {
                char e = next();
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (!isHex(next())) {
                            throw new IllegalStateException();
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw new IllegalStateException();
                }
            }
        }
    }

    private void number() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else if (isDigit(peek()) && peek() != '0') {
            while (isDigit(peek())) {
                i++;
            }
        } else {
            throw new IllegalStateException();
        }
        if (peek() == '.' && isDigit(peekAt(i + 1))) {
            i++;
            while (isDigit(peek())) {
                i++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            int mark = i;
            i++;
            if (peek() == '-' || peek() == '+') {
                i++;
            }
            if (isDigit(peek())) {
                while (isDigit(peek())) {
                    i++;
                }
            } else {
                i = mark;
            }
        }
        if (i == start) {
            throw new IllegalStateException();
        }
    }

    private boolean literal(String word) {
        if (s.startsWith(word, i)) {
            i += word.length();
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalStateException();
        }
    }

    private char next() {
        if (i >= s.length()) {
            throw new IllegalStateException();
        }
        return s.charAt(i++);
    }

    private char peek() {
        return peekAt(i);
    }

    private char peekAt(int at) {
        return at < s.length() ? s.charAt(at) : '\0';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
