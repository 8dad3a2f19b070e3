package ai.assay.reference.python;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python {@code re} patterns (as IFEval's checkers and nltk write them, and as the dataset's keywords are used) run on
 * {@link java.util.regex}. A {@code str} pattern in Python is Unicode-aware by default, and Java's classes differ:
 * Python's {@code \w} is {@code str.isalnum()} or {@code _} (letters and numbers, no combining marks, which Java's
 * Unicode {@code \w} includes), {@code \s} is {@code str.isspace()} (U+001C..U+001F too), {@code \d} is a decimal
 * digit, {@code \b} the boundary of that {@code \w}; only {@code \n} ends a line for {@code .}, {@code ^} and
 * {@code $}; {@code IGNORECASE} folds Unicode case. The translation rewrites those escapes, Python-only syntax
 * ({@code (?P<name>}, {@code (?P=name)}, {@code (?#...)}, {@code \Z}, a {@code {} that is no repetition) and the
 * characters Java reads specially inside a class ({@code [}, {@code &&}).
 */
public final class PyPatterns {

    public static final String WORD = "\\p{L}\\p{N}_";
    public static final String SPACE =
            "\\t\\n\\x0B\\f\\r\\x1C-\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F" + "\\u205F\\u3000";
    private static final String BOUNDARY =
            "(?:(?<=[" + WORD + "])(?![" + WORD + "])|(?<![" + WORD + "])(?=[" + WORD + "]))";
    private static final String NON_BOUNDARY =
            "(?:(?<=[" + WORD + "])(?=[" + WORD + "])|(?<![" + WORD + "])(?![" + WORD + "]))";
    private static final Pattern REPETITION = Pattern.compile("\\{(\\d*)(,?)(\\d*)}");

    private PyPatterns() {}

    /** {@code re.compile(pattern)} without flags. */
    public static Pattern compile(String python) {
        return Pattern.compile(translate(python), Pattern.UNIX_LINES);
    }

    /** {@code re.compile(pattern, re.IGNORECASE)}. */
    public static Pattern compileIgnoringCase(String python) {
        return Pattern.compile(translate(python), Pattern.UNIX_LINES | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** {@code re.compile(pattern, re.MULTILINE)}. */
    public static Pattern compileMultiline(String python) {
        return Pattern.compile(translate(python), Pattern.UNIX_LINES | Pattern.MULTILINE);
    }

    /** {@code len(re.findall(pattern, text))}: the number of non-overlapping matches, empty ones included. */
    public static int count(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** {@code re.findall(pattern, text)} for a pattern without groups: the matched texts. */
    public static List<String> findAll(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /**
     * {@code re.split(pattern, text)} for a pattern without groups that never matches the empty string: every piece,
     * empty ones at either end kept (Java's {@code String.split} drops trailing ones).
     */
    public static List<String> split(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (m.find()) {
            pieces.add(text.substring(start, m.start()));
            start = m.end();
        }
        pieces.add(text.substring(start));
        return pieces;
    }

    /** The Java form of a Python pattern. */
    public static String translate(String python) {
        StringBuilder out = new StringBuilder();
        boolean inClass = false;
        int i = 0;
        int n = python.length();
        while (i < n) {
            char c = python.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char e = python.charAt(i + 1);
                out.append(inClass ? classEscape(e) : escape(e));
                i += 2;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                    out.append(c);
                } else if (c == '[') {
                    out.append("\\[");
                } else if (c == '&' && i + 1 < n && python.charAt(i + 1) == '&') {
                    out.append("&\\&");
                    i++;
                } else {
                    out.append(c);
                }
                i++;
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                i++;
                if (i < n && python.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                if (i < n && python.charAt(i) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (python.startsWith("(?#", i)) {
                int end = python.indexOf(')', i);
                i = end < 0 ? n : end + 1;
                continue;
            }
            if (python.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 4;
                continue;
            }
            if (python.startsWith("(?P=", i)) {
                int end = python.indexOf(')', i);
                out.append("\\k<").append(python, i + 4, end).append('>');
                i = end + 1;
                continue;
            }
            if (c == '{') {
                Matcher m = REPETITION.matcher(python).region(i, n);
                boolean repetition = m.lookingAt()
                        && (!m.group(1).isEmpty()
                                || (!m.group(2).isEmpty() && !m.group(3).isEmpty()));
                if (repetition) {
                    out.append('{')
                            .append(m.group(1).isEmpty() ? "0" : m.group(1))
                            .append(m.group(2))
                            .append(m.group(3))
                            .append('}');
                    i = m.end();
                } else {
                    out.append("\\{");
                    i++;
                }
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String escape(char e) {
        return switch (e) {
            case 'w' -> "[" + WORD + "]";
            case 'W' -> "[^" + WORD + "]";
            case 's' -> "[" + SPACE + "]";
            case 'S' -> "[^" + SPACE + "]";
            case 'd' -> "\\p{Nd}";
            case 'D' -> "\\P{Nd}";
            case 'b' -> BOUNDARY;
            case 'B' -> NON_BOUNDARY;
            case 'Z' -> "\\z";
            default -> "\\" + e;
        };
    }

    private static String classEscape(char e) {
        return switch (e) {
            case 'w' -> WORD;
            case 's' -> SPACE;
            case 'd' -> "\\p{Nd}";
            case 'W', 'S', 'D' -> throw new IllegalArgumentException("a negated class escape inside a class: \\" + e);
            case 'b' -> "\\x08";
            default -> "\\" + e;
        };
    }
}
