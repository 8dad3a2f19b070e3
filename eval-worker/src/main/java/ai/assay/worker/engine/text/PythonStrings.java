package ai.assay.worker.engine.text;

/** Python's string-literal escapes, which chat templates' string literals use. */
final class PythonStrings {

    private PythonStrings() {
    }

    /** Python's string-literal escapes, as Jinja2 decodes them ({@code unicode-escape}); unknown ones stay. */
    static String unescape(String literal) {
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
                case '\n' -> {
                }
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
                        throw new IllegalArgumentException("Truncated \\" + e + " escape in string literal");
                    }
                    out.appendCodePoint(Integer.parseInt(literal.substring(i, i + digits), 16));
                    i += digits;
                }
                case 'N' -> {
                    int close = literal.indexOf('}', i);
                    if (i >= n || literal.charAt(i) != '{' || close < 0) {
                        throw new IllegalArgumentException("Malformed \\N{...} escape in string literal");
                    }
                    out.appendCodePoint(Character.codePointOf(literal.substring(i + 1, close)));
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

    private static boolean isHex(String s, int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
