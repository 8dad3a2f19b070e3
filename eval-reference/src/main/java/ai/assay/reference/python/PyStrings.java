package ai.assay.reference.python;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python's {@code str} methods where they differ from Java's: whitespace is {@code str.isspace()} (which includes
 * U+0085, U+00A0, U+2007 and U+3000, unlike {@link Character#isWhitespace}), lengths and stripping count code
 * points, not UTF-16 units; {@code split} and {@code replace} take Python's arguments.
 */
public final class PyStrings {

    private PyStrings() {}

    /** {@code str.isspace()} for one code point. */
    public static boolean isSpace(int c) {
        return (c >= 0x09 && c <= 0x0d)
                || (c >= 0x1c && c <= 0x20)
                || c == 0x85
                || c == 0xa0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202f
                || c == 0x205f
                || c == 0x3000;
    }

    /** {@code str.isspace()}: non-empty and all whitespace. */
    public static boolean isSpace(String s) {
        return !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace);
    }

    /** {@code len(s)}: the number of code points. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code str.strip()}. */
    public static String strip(String s) {
        return strip(s, null);
    }

    /** {@code str.lstrip()}. */
    public static String lstrip(String s) {
        return lstrip(s, null);
    }

    /** {@code str.rstrip()}. */
    public static String rstrip(String s) {
        return rstrip(s, null);
    }

    /** {@code str.strip(chars)}; null chars strips whitespace. */
    public static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    /** {@code str.lstrip(chars)}; null chars strips whitespace. */
    public static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length()) {
            int c = s.codePointAt(start);
            if (!stripped(c, chars)) {
                break;
            }
            start += Character.charCount(c);
        }
        return s.substring(start);
    }

    /** {@code str.rstrip(chars)}; null chars strips whitespace. */
    public static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0) {
            int c = s.codePointBefore(end);
            if (!stripped(c, chars)) {
                break;
            }
            end -= Character.charCount(c);
        }
        return s.substring(0, end);
    }

    private static boolean stripped(int c, String chars) {
        return chars == null ? isSpace(c) : chars.codePoints().anyMatch(x -> x == c);
    }

    /** {@code str.split(sep, maxsplit)}; a null separator splits on runs of whitespace and drops empty parts. */
    public static List<String> split(String s, String separator, int maxSplit) {
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
    public static List<String> rsplit(String s, String separator, int maxSplit) {
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

    /** {@code str.splitlines()} without keepends. */
    public static List<String> splitlines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean lineBreak = c == '\n'
                    || c == '\r'
                    || c == '\u000b'
                    || c == '\u000c'
                    || c == '\u001c'
                    || c == '\u001d'
                    || c == '\u001e'
                    || c == '\u0085'
                    || c == '\u2028'
                    || c == '\u2029';
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

    /**
     * {@code str.title()}: a character after a cased one in lower case, any other in title case, with the full
     * mappings and the final-sigma rule of {@link #capitalize}.
     */
    public static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            out.append(previousCased ? lowerFull(s, i, c) : titleFull(c));
            previousCased = isCased(c);
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /**
     * {@code str.capitalize()} as CPython 3.8+ does it: the first character in title case and the rest in lower
     * case, both with Unicode's full case mappings ({@code ß} becomes {@code Ss}, {@code ﬁ} {@code Fi},
     * {@code ŉ} {@code ʼN}, {@code İ} after the first character {@code i̇}), and a capital sigma after the first
     * character {@code ς} where CPython's Final_Sigma test holds (a cased letter before it and none after it,
     * case-ignorable characters skipped, the whole string looked at, the first character included), else
     * {@code σ}. Hand-written because Java has no full title case and lower-cases a substring without the
     * context the sigma rule needs.
     */
    public static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        StringBuilder out = new StringBuilder(s.length()).append(titleFull(first));
        for (int i = Character.charCount(first); i < s.length(); ) {
            int c = s.codePointAt(i);
            out.append(lowerFull(s, i, c));
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /**
     * The full title-case mapping of one code point (Unicode's SpecialCasing.txt where it has one): a title-case
     * letter of the simple mapping as it is (ǅ, ᾈ); where the upper case is one character, the simple title case;
     * else the full upper case with everything after its first cased letter lowered (ß to Ss, ﬃ to Ffi, ŉ to ʼN),
     * and for a Greek vowel with ypogegrammeni the upper case with its final capital iota back as the combining
     * ypogegrammeni (ᾲ to Ὰ U+0345).
     */
    private static String titleFull(int c) {
        int simple = Character.toTitleCase(c);
        if (Character.isTitleCase(simple)) {
            return new String(Character.toChars(simple));
        }
        String upper = new String(Character.toChars(c)).toUpperCase(Locale.ROOT);
        if (upper.codePointCount(0, upper.length()) == 1) {
            return new String(Character.toChars(simple));
        }
        String decomposed = Normalizer.normalize(new String(Character.toChars(c)), Normalizer.Form.NFD);
        if (decomposed.indexOf('\u0345') >= 0 && upper.endsWith("\u0399")) {
            return upper.substring(0, upper.length() - 1) + "\u0345";
        }
        int i = 0;
        while (i < upper.length()) {
            int u = upper.codePointAt(i);
            i += Character.charCount(u);
            if (isCased(u)) {
                break;
            }
        }
        return upper.substring(0, i) + upper.substring(i).toLowerCase(Locale.ROOT);
    }

    /** CPython's {@code lower_ucs4}: the full lower case of the code point {@code c} at {@code at} of {@code s}. */
    private static String lowerFull(String s, int at, int c) {
        if (c == 0x3a3) {
            return finalSigma(s, at) ? "\u03c2" : "\u03c3";
        }
        return new String(Character.toChars(c)).toLowerCase(Locale.ROOT);
    }

    /** CPython's {@code handle_capital_sigma}: is the capital sigma at {@code at} in the Final_Sigma context? */
    private static boolean finalSigma(String s, int at) {
        int j = at;
        int c = 0;
        boolean found = false;
        while (j > 0) {
            c = s.codePointBefore(j);
            j -= Character.charCount(c);
            if (!isCaseIgnorable(c)) {
                found = true;
                break;
            }
        }
        if (!found || !isCased(c)) {
            return false;
        }
        for (j = at + 1; j < s.length(); ) {
            c = s.codePointAt(j);
            if (!isCaseIgnorable(c)) {
                return !isCased(c);
            }
            j += Character.charCount(c);
        }
        return true;
    }

    /** Unicode's Cased: Lu, Ll, Lt, Other_Lowercase, Other_Uppercase (Java's isLowerCase/isUpperCase count both). */
    private static boolean isCased(int c) {
        return Character.isLowerCase(c) || Character.isUpperCase(c) || Character.isTitleCase(c);
    }

    /**
     * Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk, and the Word_Break classes MidLetter, MidNumLet and
     * Single_Quote (apostrophes, full stops, colons, middle dots).
     */
    private static boolean isCaseIgnorable(int c) {
        int type = Character.getType(c);
        if (type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.FORMAT
                || type == Character.MODIFIER_LETTER
                || type == Character.MODIFIER_SYMBOL) {
            return true;
        }
        return switch (c) {
            case 0x27,
                    0x2e,
                    0x3a,
                    0xb7,
                    0x387,
                    0x55f,
                    0x5f4,
                    0x2018,
                    0x2019,
                    0x2024,
                    0x2027,
                    0xfe13,
                    0xfe52,
                    0xfe55,
                    0xff07,
                    0xff0e,
                    0xff1a -> true;
            default -> false;
        };
    }

    /**
     * {@code str.replace(old, new, count)}, a negative count for all; an empty {@code old} inserts between
     * characters, as Python does.
     */
    public static String replace(String s, String old, String replacement, int count) {
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

    /** {@code str.count(sub)}. */
    public static int count(String s, String sub) {
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

    /**
     * {@code str.isdigit()} restricted to what {@code ast.literal_eval} can then read: a non-empty run of ASCII
     * digits. (A string of other Unicode digits makes lm-eval fail; Assay treats it as text.)
     */
    public static boolean isAsciiDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code repr(s)}: single quotes unless the text has a single quote and no double quote. */
    public static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        s.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else if (c < 0x7f || isPrintable(c)) {
                out.appendCodePoint(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", c));
            } else if (c < 0x10000) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append(String.format("\\U%08x", c));
            }
        });
        return out.append(quote).toString();
    }

    /** {@code str.isprintable()} for one non-ASCII code point. */
    private static boolean isPrintable(int c) {
        int type = Character.getType(c);
        return !(type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.SURROGATE
                || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || (type == Character.SPACE_SEPARATOR && c != ' '));
    }

    /**
     * {@code str.isupper()}: at least one cased character, and none lower or title case (Java's
     * {@link Character#isUpperCase(int)} includes Other_Uppercase, as Python does).
     */
    public static boolean isUpper(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLowerCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isUpperCase(c);
        }
        return cased;
    }

    /** {@code str.islower()}: at least one cased character, and none upper or title case. */
    public static boolean isLower(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isLowerCase(c);
        }
        return cased;
    }

    /** {@code str.lower()}: full Unicode lowering, locale-free. */
    public static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
