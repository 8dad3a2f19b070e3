package ai.assay.reference.python;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Python's {@code re.sub(pattern, repl, string, count)} and {@code re.findall(pattern, string)} for string patterns,
 * on {@link java.util.regex}.
 *
 * <p>Hand-written because the two regex dialects differ where it shows: Python's {@code \d \w \s} and case folding
 * are Unicode-aware for str patterns, {@code .} and {@code $} know only {@code \n} as a line end, named groups are
 * {@code (?P<name>...)} and {@code (?P=name)}, and the replacement is a Python template ({@code \1},
 * {@code \g<name>}, {@code \n} escapes) where Java's uses {@code $1}. Empty matches are replaced as Python 3.7 and
 * later do (next to a previous match too), which is what {@link Matcher#find()} gives. Patterns that use syntax
 * Java reads differently from Python beyond these (possessive quantifiers, {@code \Z} meaning end of input only)
 * are not translated.
 */
public final class PyRe {

    private PyRe() {}

    /**
     * @param count at most this many replacements; 0 replaces all, as in Python
     * @throws IllegalArgumentException for a pattern or replacement Python would reject
     */
    public static String sub(String pattern, String repl, String string, int count) {
        Matcher matcher = compile(pattern).matcher(string);
        StringBuilder out = new StringBuilder(string.length());
        int last = 0;
        int done = 0;
        while ((count <= 0 || done < count) && matcher.find()) {
            out.append(string, last, matcher.start());
            appendExpansion(out, repl, matcher);
            last = matcher.end();
            done++;
        }
        return out.append(string, last, string.length()).toString();
    }

    /**
     * Python's {@code re.compile(pattern)} for a str pattern: the Java pattern that {@link #sub} and
     * {@link #findall} run.
     *
     * @throws IllegalArgumentException for a pattern Java cannot read (Python rejects most of them too)
     */
    public static Pattern compile(String pattern) {
        try {
            return PyPatterns.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regular expression " + PyStrings.repr(pattern), e);
        }
    }

    /**
     * Python's {@code re.findall}: every match from left to right, each as Python gives it: the whole match for a
     * pattern without groups, the group's text for a pattern with one, and for several a tuple (here a list) of
     * every group's text; a group that took no part in the match is {@code ""}, never {@code None}.
     *
     * <p>After an empty match Python 3.7 and later may find a non-empty match starting at the same place; Java's
     * {@link Matcher#find()} starts one character later instead, so a pattern with such an alternative (e.g.
     * {@code |a}) lists fewer matches here. Patterns that cannot match the empty string are unaffected.
     *
     * @param compiled from {@link #compile}
     * @return {@link String}s, or {@code List<String>} tuples when the pattern has two groups or more
     */
    public static List<Object> findall(Pattern compiled, String string) {
        Matcher matcher = compiled.matcher(string);
        int groups = matcher.groupCount();
        List<Object> found = new ArrayList<>();
        while (matcher.find()) {
            if (groups == 0) {
                found.add(matcher.group());
            } else if (groups == 1) {
                found.add(groupOrEmpty(matcher, 1));
            } else {
                List<String> tuple = new ArrayList<>(groups);
                for (int g = 1; g <= groups; g++) {
                    tuple.add(groupOrEmpty(matcher, g));
                }
                found.add(Collections.unmodifiableList(tuple));
            }
        }
        return found;
    }

    /**
     * Python's {@code re.escape} (3.7 and later): a backslash before each of {@code ()[]{}?*+-|^$\.&~#}, space and
     * the whitespace controls {@code \t \n \r \v \f}, and nothing else; the result, read by {@link #compile},
     * matches {@code text} literally.
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() * 2);
        text.codePoints().forEach(c -> {
            if (c < 128 && SPECIAL.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.appendCodePoint(c);
        });
        return out.toString();
    }

    private static final String SPECIAL = "()[]{}?*+-|^$\\.&~# \t\n\r\u000b\f";

    private static String groupOrEmpty(Matcher matcher, int group) {
        String text = matcher.group(group);
        return text == null ? "" : text;
    }

    /** Python's {@code Match.expand(repl)}: group references and the escapes of a Python string. */
    private static void appendExpansion(StringBuilder out, String repl, Matcher matcher) {
        int i = 0;
        while (i < repl.length()) {
            char c = repl.charAt(i);
            if (c != '\\' || i + 1 == repl.length()) {
                if (c == '\\') {
                    throw new IllegalArgumentException("bad escape (end of pattern) in " + PyStrings.repr(repl));
                }
                out.append(c);
                i++;
                continue;
            }
            char e = repl.charAt(i + 1);
            if (e == 'g') {
                int close = repl.indexOf('>', i);
                if (i + 2 >= repl.length() || repl.charAt(i + 2) != '<' || close < 0) {
                    throw new IllegalArgumentException("missing group name in " + PyStrings.repr(repl));
                }
                String name = repl.substring(i + 3, close);
                appendGroup(out, matcher, PyStrings.isAsciiDigits(name) ? Integer.parseInt(name) : name);
                i = close + 1;
            } else if (e == '0') {
                // An octal escape: \0 and up to two more octal digits.
                int end = i + 2;
                while (end < repl.length() && end < i + 4 && repl.charAt(end) >= '0' && repl.charAt(end) <= '7') {
                    end++;
                }
                out.append((char) Integer.parseInt(repl.substring(i + 1, end), 8));
                i = end;
            } else if (e >= '1' && e <= '9') {
                int end = i + 2;
                if (end < repl.length() && Character.isDigit(repl.charAt(end))) {
                    end++;
                }
                appendGroup(out, matcher, Integer.parseInt(repl.substring(i + 1, end)));
                i = end;
            } else {
                out.append(
                        switch (e) {
                            case 'n' -> "\n";
                            case 't' -> "\t";
                            case 'r' -> "\r";
                            case 'f' -> "\f";
                            case 'v' -> "\u000b";
                            case 'a' -> "\u0007";
                            case 'b' -> "\b";
                            case '\\' -> "\\";
                            default -> {
                                if (Character.isLetterOrDigit(e)) {
                                    throw new IllegalArgumentException(
                                            "bad escape \\" + e + " in " + PyStrings.repr(repl));
                                }
                                yield "\\" + e;
                            }
                        });
                i += 2;
            }
        }
    }

    private static void appendGroup(StringBuilder out, Matcher matcher, Object group) {
        String value;
        try {
            value = group instanceof Integer n ? matcher.group(n) : matcher.group((String) group);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid group reference " + group, e);
        }
        // An unmatched group expands to nothing (Python 3.5 and later).
        if (value != null) {
            out.append(value);
        }
    }
}
