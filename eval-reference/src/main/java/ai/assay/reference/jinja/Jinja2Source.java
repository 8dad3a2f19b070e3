package ai.assay.reference.jinja;

import ai.assay.reference.python.PyLiteral;
import ai.assay.reference.python.PyStrings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a Jinja2 template, as a {@link JinjaDialect}'s environment compiles it, into Jinjava source that
 * renders the same text.
 *
 * <p>Whitespace control in Jinja2 is purely lexical, so it is applied here, once, to the template text: newlines
 * are normalized and, without {@code keep_trailing_newline}, one trailing newline dropped;
 * {@code {%- -%} {{- -}} {#- -#}} strip; with {@code trim_blocks}, {@code %}} and {@code #}} eat one following
 * newline; with {@code lstrip_blocks}, block and comment tags that start a line eat the indentation before them;
 * {@code {%+} and {@code +%}} opt out. The result has no whitespace markers left, so Jinjava runs with its own
 * trimming off and has nothing to get wrong.
 *
 * <p>Inside tags: string literals are decoded with Python's escape rules and re-encoded with the few escapes
 * Jinjava's scanner knows, and slices with a step ({@code messages[::-1]}), which Jinjava cannot parse, become a
 * filter call. Comments are dropped. Text that Jinjava would mistake for a tag is emitted as a string expression.
 */
final class Jinja2Source {

    /** The filter that stepped slices are rewritten to; registered by {@link JinjaEnvironment}. */
    static final String SLICE_FILTER = "assay_pyslice";

    /** The function every printed expression goes through, for Python's str(); registered by JinjaEnvironment. */
    static final String STR_FUNCTION = "assay_pystr";

    private static final Pattern RAW_BEGIN = Pattern.compile("\\G\\s*raw\\s*(-?)%}", Pattern.DOTALL);
    private static final Pattern RAW_END = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*([-+]?)%}", Pattern.DOTALL);

    private enum Kind {
        VARIABLE,
        BLOCK,
        COMMENT
    }

    private Jinja2Source() {}

    /**
     * The Jinjava source; the filters and tests the template names ({@code x | name}, {@code x is name}) so that
     * they can be checked up front (Jinjava renders an unknown one as nothing); whether the template is text
     * only; and, for a template that is one {@code {{ expression }}} and nothing else, that expression (in
     * Jinjava's syntax), else null.
     */
    record Translation(
            String source, Set<String> filters, Set<String> tests, boolean plainText, String singleExpression) {}

    private static final Pattern FILTER_NAME = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern TEST_NAME =
            Pattern.compile("(?<![A-Za-z0-9_])is\\s+(?:not\\s+)?([A-Za-z_][A-Za-z0-9_]*)");

    /** The code with every double-quoted literal emptied, so that names inside strings are not seen. */
    private static String blankStrings(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '"') {
                int end = endOfString(code, i);
                if (end < 0) {
                    return out.toString();
                }
                out.append("\"\"");
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * @throws IllegalArgumentException when a tag, comment or string literal is not closed
     */
    static Translation toJinjava(String template, JinjaDialect dialect) {
        String source = normalizeNewlines(template, dialect);
        List<Object> segments = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int pos = 0;
        boolean lineStarting = true;
        int length = source.length();
        while (true) {
            int start = nextTagStart(source, pos);
            if (start < 0) {
                text.append(source, pos, length);
                break;
            }
            String before = source.substring(pos, start);
            char opener = source.charAt(start + 1);
            Kind kind = opener == '{' ? Kind.VARIABLE : opener == '%' ? Kind.BLOCK : Kind.COMMENT;
            int p = start + 2;
            char beginMark = p < length && (source.charAt(p) == '-' || source.charAt(p) == '+') ? source.charAt(p) : 0;
            if (beginMark != 0) {
                p++;
            }
            text.append(
                    applyBeginMark(before, beginMark, dialect.lstripBlocks() && kind != Kind.VARIABLE, lineStarting));

            if (kind == Kind.COMMENT) {
                int end = source.indexOf("#}", p);
                if (end < 0) {
                    throw new IllegalArgumentException(
                            "A comment opened at " + position(source, start) + " is never closed");
                }
                char endMark = end > p && (source.charAt(end - 1) == '-' || source.charAt(end - 1) == '+')
                        ? source.charAt(end - 1)
                        : 0;
                pos = applyEndMark(source, end + 2, endMark, dialect.trimBlocks());
                lineStarting = pos > 0 && source.charAt(pos - 1) == '\n';
                continue;
            }

            Matcher raw = kind == Kind.BLOCK ? RAW_BEGIN.matcher(source).region(p, length) : null;
            if (raw != null && raw.lookingAt()) {
                int after = raw.end();
                if (!raw.group(1).isEmpty()) {
                    after = skipWhitespace(source, after);
                }
                // {% raw %} has no trim_blocks newline of its own.
                boolean rawLineStarting = after > 0 && source.charAt(after - 1) == '\n';
                Matcher end = RAW_END.matcher(source);
                if (!end.find(after)) {
                    throw new IllegalArgumentException(
                            "A raw block opened at " + position(source, start) + " is never closed");
                }
                String content = source.substring(after, end.start());
                char rawBeginMark = end.group(1).isEmpty() ? 0 : end.group(1).charAt(0);
                text.append(applyBeginMark(content, rawBeginMark, dialect.lstripBlocks(), rawLineStarting));
                char endMark = end.group(2).isEmpty() ? 0 : end.group(2).charAt(0);
                pos = applyEndMark(source, end.end(), endMark, dialect.trimBlocks());
                lineStarting = pos > 0 && source.charAt(pos - 1) == '\n';
                continue;
            }

            int[] end = findTagEnd(source, p, kind);
            if (end == null) {
                throw new IllegalArgumentException("A tag opened at " + position(source, start) + " is never closed");
            }
            // end[0]: where the closing marker (with its -/+) starts; end[1]: just past it; end[2]: the mark.
            String inner = source.substring(p, end[0]);
            if (text.length() > 0) {
                segments.add(text.toString());
                text.setLength(0);
            }
            segments.add(new TagSegment(kind == Kind.VARIABLE, rewriteExpression(inner)));
            pos = applyEndMark(source, end[1], (char) end[2], dialect.trimBlocks() && kind == Kind.BLOCK);
            lineStarting = pos > 0 && source.charAt(pos - 1) == '\n';
        }
        if (text.length() > 0) {
            segments.add(text.toString());
        }
        Set<String> filters = new TreeSet<>();
        Set<String> tests = new TreeSet<>();
        for (Object segment : segments) {
            if (segment instanceof TagSegment tag) {
                String code = blankStrings(tag.body());
                FILTER_NAME.matcher(code).results().forEach(m -> filters.add(m.group(1)));
                TEST_NAME.matcher(code).results().forEach(m -> tests.add(m.group(1)));
            }
        }
        boolean plainText = segments.stream().noneMatch(TagSegment.class::isInstance);
        String singleExpression =
                segments.size() == 1 && segments.get(0) instanceof TagSegment tag && tag.variable() ? tag.body() : null;
        return new Translation(
                assemble(rewriteForElse(rewriteLoopFilters(segments))), filters, tests, plainText, singleExpression);
    }

    /** A tag after lexing: its body with Jinja2's string literals and slices already rewritten. */
    private record TagSegment(boolean variable, String body) {

        String name() {
            String stripped = body.strip();
            int end = 0;
            while (end < stripped.length()
                    && (Character.isLetterOrDigit(stripped.charAt(end)) || stripped.charAt(end) == '_')) {
                end++;
            }
            return stripped.substring(0, end);
        }
    }

    /**
     * Jinjava ignores the filter of {@code {% for x in xs if cond %}}; the filtered items are collected first and
     * the loop runs over them, so that {@code loop.index} and {@code loop.last} count the kept items as in Jinja2.
     */
    private static List<Object> rewriteLoopFilters(List<Object> segments) {
        List<Object> rewritten = new ArrayList<>();
        int n = 0;
        for (Object segment : segments) {
            if (!(segment instanceof TagSegment tag)
                    || tag.variable()
                    || !tag.name().equals("for")) {
                rewritten.add(segment);
                continue;
            }
            String body = tag.body().strip();
            int in = topLevelKeyword(body, "in", 3);
            int condition = in < 0 ? -1 : topLevelKeyword(body, "if", in + 2);
            if (condition < 0) {
                rewritten.add(segment);
                continue;
            }
            String target = body.substring(3, in).strip();
            String iterable = body.substring(in + 2, condition).strip();
            String filter = body.substring(condition + 2).strip();
            String recursive = "";
            if (filter.endsWith(" recursive")) {
                filter = filter.substring(0, filter.length() - " recursive".length())
                        .strip();
                recursive = " recursive";
            }
            String item = target.contains(",") ? "[" + target + "]" : target;
            String items = "assay_loop_filter_" + n++;
            rewritten.add(new TagSegment(false, " set " + items + " = namespace(kept=[]) "));
            rewritten.add(new TagSegment(false, " for " + target + " in " + iterable + " "));
            rewritten.add(new TagSegment(false, " if " + filter + " "));
            rewritten.add(new TagSegment(false, " set " + items + ".kept = " + items + ".kept + [" + item + "] "));
            rewritten.add(new TagSegment(false, " endif "));
            rewritten.add(new TagSegment(false, " endfor "));
            rewritten.add(new TagSegment(false, " for " + target + " in " + items + ".kept" + recursive + " "));
        }
        return rewritten;
    }

    /** The index of a keyword standing alone at the top level of an expression (outside strings, brackets). */
    private static int topLevelKeyword(String body, String keyword, int from) {
        int depth = 0;
        int i = from;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '"') {
                i = endOfString(body, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0
                    && body.startsWith(keyword, i)
                    && (i == 0 || !isNameChar(body.charAt(i - 1)))
                    && (i + keyword.length() >= body.length() || !isNameChar(body.charAt(i + keyword.length())))) {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static final List<String> BLOCK_OPENERS =
            List.of("for", "if", "macro", "call", "filter", "with", "autoescape", "block", "generation");

    /**
     * Jinjava has no {@code {% for %}...{% else %}}: the loop records in a namespace whether it ran, and the else
     * branch becomes an if after it.
     */
    private static List<Object> rewriteForElse(List<Object> segments) {
        record Open(String name, int index, int[] elseIndex) {}
        Deque<Open> stack = new ArrayDeque<>();
        List<int[]> loops = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            if (!(segments.get(i) instanceof TagSegment tag) || tag.variable()) {
                continue;
            }
            String name = tag.name();
            if (BLOCK_OPENERS.contains(name)
                    || (name.equals("set") && splitTopLevel(tag.body(), '=').size() == 1)) {
                stack.push(new Open(name, i, new int[] {-1}));
            } else if (name.equals("else")
                    && !stack.isEmpty()
                    && stack.peek().name().equals("for")) {
                stack.peek().elseIndex()[0] = i;
            } else if (name.startsWith("end") && !stack.isEmpty()) {
                Open open = stack.pop();
                if (open.name().equals("for") && open.elseIndex()[0] >= 0) {
                    loops.add(new int[] {open.index(), open.elseIndex()[0], i});
                }
            }
        }
        if (loops.isEmpty()) {
            return segments;
        }
        Map<Integer, List<Object>> replacements = new HashMap<>();
        int n = 0;
        for (int[] loop : loops) {
            String flag = "assay_for_else_" + n++;
            replacements.put(
                    loop[0],
                    List.of(
                            new TagSegment(false, " set " + flag + " = namespace(ran=false) "),
                            segments.get(loop[0]),
                            new TagSegment(false, " set " + flag + ".ran = true ")));
            replacements.put(
                    loop[1],
                    List.of(new TagSegment(false, " endfor "), new TagSegment(false, " if not " + flag + ".ran ")));
            replacements.put(loop[2], List.of(new TagSegment(false, " endif ")));
        }
        List<Object> rewritten = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            rewritten.addAll(replacements.getOrDefault(i, List.of(segments.get(i))));
        }
        return rewritten;
    }

    private static String assemble(List<Object> segments) {
        StringBuilder out = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof TagSegment tag) {
                if (tag.variable()) {
                    // Printed as Python's str() prints: True, None inside lists, 'quoted' strings in lists ...
                    out.append("{{ ")
                            .append(STR_FUNCTION)
                            .append('(')
                            .append(separateClosers(tag.body(), "}}"))
                            .append(") }}");
                } else {
                    out.append("{%").append(separateClosers(tag.body(), "%}")).append("%}");
                }
            } else {
                appendText(out, (String) segment);
            }
        }
        return out.toString();
    }

    /** Jinjava ends a tag at the first closer even inside brackets: {'a': {'b': 1}} needs a space. */
    private static String separateClosers(String body, String closer) {
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '"') {
                int end = endOfString(body, i);
                out.append(body, i, end);
                i = end;
                continue;
            }
            out.append(c);
            if (c == closer.charAt(0) && i + 1 < body.length() && body.charAt(i + 1) == closer.charAt(1)) {
                out.append(' ');
            }
            i++;
        }
        return out.toString();
    }

    /**
     * Every line break becomes \n, and one trailing break goes unless the dialect keeps it. LM_EVAL breaks lines
     * as Jinja2 3's lexer does ({@code \r\n}, {@code \r}, {@code \n}); TRANSFORMERS, as this renderer always
     * has, as Python's {@code str.splitlines()} does (also {@code \v \f \x1c-\x1e \x85} and U+2028/9).
     */
    static String normalizeNewlines(String source, JinjaDialect dialect) {
        boolean keepTrailingNewline = dialect.keepTrailingNewline();
        boolean splitlines = dialect == JinjaDialect.TRANSFORMERS;
        StringBuilder out = new StringBuilder(source.length());
        boolean endsWithBreak = false;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            endsWithBreak = true;
            switch (c) {
                case '\r':
                    if (i + 1 < source.length() && source.charAt(i + 1) == '\n') {
                        i++;
                    }
                    out.append('\n');
                    break;
                case '\n':
                    out.append('\n');
                    break;
                case '\u000b', '\u000c', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028', '\u2029':
                    out.append(splitlines ? '\n' : c);
                    endsWithBreak = splitlines;
                    break;
                default:
                    out.append(c);
                    endsWithBreak = false;
            }
        }
        if (endsWithBreak && !keepTrailingNewline) {
            out.setLength(out.length() - 1);
        }
        return out.toString();
    }

    private static int nextTagStart(String source, int from) {
        int i = source.indexOf('{', from);
        while (i >= 0 && i + 1 < source.length()) {
            char next = source.charAt(i + 1);
            if (next == '{' || next == '%' || next == '#') {
                return i;
            }
            i = source.indexOf('{', i + 1);
        }
        return -1;
    }

    /** The whitespace a tag's opening removes from the text before it. */
    private static String applyBeginMark(String text, char mark, boolean lstripApplies, boolean lineStarting) {
        if (mark == '-') {
            return PyStrings.rstrip(text);
        }
        if (mark == '+' || !lstripApplies) {
            return text;
        }
        int lineStart = text.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting)
                && lineStart < text.length()
                && PyStrings.isSpace(text.substring(lineStart))) {
            return text.substring(0, lineStart);
        }
        return text;
    }

    /** The position after a tag once its closing has taken the whitespace it removes. */
    private static int applyEndMark(String source, int after, char mark, boolean trimBlocks) {
        if (mark == '-') {
            return skipWhitespace(source, after);
        }
        if (mark != '+' && trimBlocks && after < source.length() && source.charAt(after) == '\n') {
            return after + 1;
        }
        return after;
    }

    private static int skipWhitespace(String source, int from) {
        int i = from;
        while (i < source.length() && PyStrings.isSpace(source.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * Finds the closing "}}" or "%}" of a tag outside string literals and brackets (Jinja2 ignores closers while
     * a bracket is open), with the "-" or "+" in front of it.
     */
    private static int[] findTagEnd(String source, int from, Kind kind) {
        String closer = kind == Kind.VARIABLE ? "}}" : "%}";
        int depth = 0;
        int i = from;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(source, i);
                if (i < 0) {
                    return null;
                }
                continue;
            }
            if (depth == 0) {
                if (c == '-' && source.startsWith(closer, i + 1)) {
                    return new int[] {i, i + 3, '-'};
                }
                if (c == '+' && kind == Kind.BLOCK && source.startsWith(closer, i + 1)) {
                    return new int[] {i, i + 3, '+'};
                }
                if (source.startsWith(closer, i)) {
                    return new int[] {i, i + 2, 0};
                }
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            i++;
        }
        return null;
    }

    /** The index after the closing quote of the string literal starting at {@code start}, or -1. */
    private static int endOfString(String source, int start) {
        char quote = source.charAt(start);
        int i = start + 1;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static void appendText(StringBuilder out, String value) {
        boolean looksLikeTag = value.contains("{{")
                || value.contains("{%")
                || value.contains("{#")
                || value.endsWith("{")
                || value.startsWith("}");
        if (looksLikeTag) {
            out.append("{{ ").append(jinjavaString(value)).append(" }}");
        } else {
            out.append(value);
        }
    }

    /** Re-encodes the string literals of a tag's body and rewrites stepped slices. */
    static String rewriteExpression(String inner) {
        StringBuilder out = new StringBuilder(inner.length());
        int i = 0;
        while (i < inner.length()) {
            char c = inner.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfString(inner, i);
                if (end < 0) {
                    throw new IllegalArgumentException("Unterminated string literal in tag: " + inner.strip());
                }
                out.append(jinjavaString(PyLiteral.unescape(inner.substring(i + 1, end - 1))));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return rewriteSteppedSlices(out.toString());
    }

    /** A double-quoted literal using only the escapes Jinjava's expression scanner decodes. */
    static String jinjavaString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** {@code x[a:b:c]} becomes {@code (x|assay_pyslice(a, b, c))}; Jinjava only parses slices without a step. */
    private static String rewriteSteppedSlices(String expression) {
        String current = expression;
        int searchFrom = 0;
        while (true) {
            int[] slice = findSteppedSlice(current, searchFrom);
            if (slice == null) {
                return current;
            }
            int open = slice[0];
            int close = slice[1];
            int operandStart = operandStart(current, open);
            if (operandStart == open) {
                searchFrom = close + 1;
                continue;
            }
            List<String> parts = splitTopLevel(current.substring(open + 1, close), ':');
            StringBuilder call = new StringBuilder();
            call.append('(')
                    .append(current, operandStart, open)
                    .append('|')
                    .append(SLICE_FILTER)
                    .append('(');
            for (int k = 0; k < 3; k++) {
                String part = parts.get(k).strip();
                call.append(k > 0 ? ", " : "").append(part.isEmpty() ? "none" : part);
            }
            call.append("))");
            current = current.substring(0, operandStart) + call + current.substring(close + 1);
            searchFrom = 0;
        }
    }

    /** The first [..] (outside strings, from {@code from}) whose top level has exactly two colons. */
    private static int[] findSteppedSlice(String s, int from) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
                continue;
            }
            if (c == '[') {
                int close = matchingClose(s, i);
                if (close < 0) {
                    return null;
                }
                if (splitTopLevel(s.substring(i + 1, close), ':').size() == 3) {
                    return new int[] {i, close};
                }
            }
            i++;
        }
        return null;
    }

    private static int matchingClose(String s, int open) {
        int depth = 0;
        int i = open;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
                if (i < 0) {
                    return -1;
                }
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
            i++;
        }
        return -1;
    }

    /** Where the primary expression ending just before {@code index} starts (names, dots, calls, subscripts). */
    private static int operandStart(String s, int index) {
        List<int[]> strings = stringSpans(s);
        int k = index - 1;
        while (k >= 0) {
            char c = s.charAt(k);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                k--;
            } else if (c == ')' || c == ']') {
                int depth = 0;
                while (k >= 0) {
                    int[] span = spanEndingAt(strings, k);
                    if (span != null) {
                        k = span[0] - 1;
                        continue;
                    }
                    char d = s.charAt(k);
                    if (d == ')' || d == ']' || d == '}') {
                        depth++;
                    } else if (d == '(' || d == '[' || d == '{') {
                        depth--;
                    }
                    k--;
                    if (depth == 0) {
                        break;
                    }
                }
            } else if (c == '"') {
                int[] span = spanEndingAt(strings, k);
                if (span == null) {
                    break;
                }
                k = span[0] - 1;
            } else {
                break;
            }
        }
        return k + 1;
    }

    private static List<int[]> stringSpans(String s) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '"') {
                int end = endOfString(s, i);
                spans.add(new int[] {i, end - 1});
                i = end;
            } else {
                i++;
            }
        }
        return spans;
    }

    private static int[] spanEndingAt(List<int[]> spans, int index) {
        for (int[] span : spans) {
            if (span[1] == index) {
                return span;
            }
        }
        return null;
    }

    private static List<String> splitTopLevel(String s, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int last = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
                if (i < 0) {
                    break;
                }
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(s.substring(last, i));
                last = i + 1;
            }
            i++;
        }
        parts.add(s.substring(last));
        return parts;
    }

    private static String position(String source, int index) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < index; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }
}
