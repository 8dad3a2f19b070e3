package ai.assay.worker.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Python's str semantics where chat templates depend on them: whitespace, escapes and the common methods. */
final class PythonStrings {

    private PythonStrings() {
    }

    /** {@code str.isspace()} for one character. */
    static boolean isSpace(char c) {
        return switch (c) {
            case ' ', '\t', '\n', '\u000b', '\u000c', '\r', '\u001c', '\u001d', '\u001e', '\u001f', '\u0085', '\u00a0',
                    '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200a';
        };
    }

    /** {@code str.isspace()}: non-empty and all whitespace. */
    static boolean isSpace(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    static String strip(String s, String chars) {
        return lstrip(rstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && stripped(s.charAt(start), chars)) {
            start++;
        }
        return s.substring(start);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && stripped(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(0, end);
    }

    /** {@code str.split(sep, maxsplit)}; a null separator splits on runs of whitespace and drops empty parts. */
    static List<String> split(String s, String separator, int maxSplit) {
        List<String> parts = new ArrayList<>();
        if (separator == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(s.substring(i));
                    break;
                }
                int start = i;
                while (i < n && !isSpace(s.charAt(i))) {
                    i++;
                }
                parts.add(s.substring(start, i));
            }
            return parts;
        }
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int start = 0;
        while (maxSplit < 0 || parts.size() < maxSplit) {
            int at = s.indexOf(separator, start);
            if (at < 0) {
                break;
            }
            parts.add(s.substring(start, at));
            start = at + separator.length();
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** {@code str.rsplit(sep, maxsplit)}. */
    static List<String> rsplit(String s, String separator, int maxSplit) {
        if (maxSplit < 0) {
            return split(s, separator, -1);
        }
        List<String> reversed = new ArrayList<>();
        if (separator == null) {
            int i = s.length() - 1;
            while (true) {
                while (i >= 0 && isSpace(s.charAt(i))) {
                    i--;
                }
                if (i < 0) {
                    break;
                }
                if (reversed.size() == maxSplit) {
                    reversed.add(s.substring(0, i + 1));
                    break;
                }
                int end = i + 1;
                while (i >= 0 && !isSpace(s.charAt(i))) {
                    i--;
                }
                reversed.add(s.substring(i + 1, end));
            }
        } else {
            if (separator.isEmpty()) {
                throw new IllegalArgumentException("empty separator");
            }
            int end = s.length();
            while (reversed.size() < maxSplit) {
                int at = s.lastIndexOf(separator, end - separator.length());
                if (at < 0) {
                    break;
                }
                reversed.add(s.substring(at + separator.length(), end));
                end = at;
            }
            reversed.add(s.substring(0, end));
        }
        List<String> parts = new ArrayList<>(reversed.size());
        for (int k = reversed.size() - 1; k >= 0; k--) {
            parts.add(reversed.get(k));
        }
        return parts;
    }

    /** {@code str.title()}: a letter after a cased letter is lowered, any other letter title-cased. */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (previousCased) {
                out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            } else {
                out.appendCodePoint(Character.toTitleCase(cp));
            }
            previousCased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
        }
        return out.toString();
    }

    /** {@code str.capitalize()}: the first character title-cased, the rest lowered. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int cp = s.codePointAt(0);
        int rest = Character.charCount(cp);
        return new String(Character.toChars(Character.toTitleCase(cp)))
                + s.substring(rest).toLowerCase(Locale.ROOT);
    }

    /** {@code str.replace(old, new, count)}; an empty {@code old} inserts between characters, as Python does. */
    static String replace(String s, String old, String replacement, int count) {
        if (count < 0 && !old.isEmpty()) {
            return s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int done = 0;
        if (old.isEmpty()) {
            int i = 0;
            while (i <= s.length()) {
                if (count < 0 || done < count) {
                    out.append(replacement);
                    done++;
                }
                if (i < s.length()) {
                    out.append(s.charAt(i));
                }
                i++;
            }
            return out.toString();
        }
        int start = 0;
        while (count < 0 || done < count) {
            int at = s.indexOf(old, start);
            if (at < 0) {
                break;
            }
            out.append(s, start, at).append(replacement);
            start = at + old.length();
            done++;
        }
        return out.append(s.substring(start)).toString();
    }

    static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        int at = s.indexOf(sub);
        while (at >= 0) {
            n++;
            at = s.indexOf(sub, at + sub.length());
        }
        return n;
    }

    /** {@code str.splitlines()} without keepends. */
    static List<String> splitlines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || c == '\u001c'
                    || c == '\u001d' || c == '\u001e' || c == '\u0085' || c == '\u2028' || c == '\u2029';
            if (lineBreak) {
                lines.add(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
            i++;
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
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
