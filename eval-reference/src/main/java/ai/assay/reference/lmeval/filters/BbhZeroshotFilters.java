package ai.assay.reference.lmeval.filters;

import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.python.PyRe;
import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The filter functions of lm-eval's {@code tasks/bbh/cot_zeroshot/utils.py}, which the zero-shot BBH subtasks name
 * for {@code flexible-extract}: {@code MultiChoiceRegexFilter} (17 subtasks), {@code MapRegexFilter}
 * ({@code sports_understanding}, {@code web_of_lies}), {@code NumberParseRegexFilter}
 * ({@code multistep_arithmetic_two}, {@code object_counting}) and {@code WordSortFilter} ({@code word_sorting}).
 * Hand-written: they are Python classes of a task directory, with no library to call from Java. Where upstream's
 * code raises (an {@code IndexError} of a {@code group_select} out of range, {@code word2number}'s
 * {@code ValueError}), lm-eval stops the run; here the step throws with upstream's error named.
 */
public final class BbhZeroshotFilters {

    private static final String DIRECTORY = "bbh/cot_zeroshot";

    private static final String MULTI_CHOICE = "utils.MultiChoiceRegexFilter";

    private static final String MAP_REGEX = "utils.MapRegexFilter";

    private static final String NUMBER_PARSE = "utils.NumberParseRegexFilter";

    private static final String WORD_SORT = "utils.WordSortFilter";

    /**
     * The functions above for a task of {@code bbh/cot_zeroshot}: a reference written as in the file
     * ({@code utils.MultiChoiceRegexFilter}) or named with its directory
     * ({@code bbh/cot_zeroshot:utils.MultiChoiceRegexFilter}).
     */
    public static final CustomFilters KNOWN = BbhZeroshotFilters::step;

    private BbhZeroshotFilters() {}

    private static Optional<FilterStep> step(FunctionRef function, Map<String, Object> kwargs) {
        String key = function.key();
        if (key.startsWith(DIRECTORY + ":")) {
            key = key.substring(DIRECTORY.length() + 1);
        }
        return switch (key) {
            case MULTI_CHOICE -> Optional.of(MultiChoiceRegex.fromKwargs(kwargs));
            case MAP_REGEX -> Optional.of(MapRegex.fromKwargs(kwargs));
            case NUMBER_PARSE -> Optional.of(NumberParseRegex.fromKwargs(kwargs));
            case WORD_SORT -> Optional.of(new WordSort());
            default -> Optional.empty();
        };
    }

    /**
     * What {@code ExtendedRegexFilter}, the base of the three regex filters, adds to lm-eval's {@code RegexFilter}:
     * its constructor's arguments and its two helpers.
     *
     * @param regexesToIgnore Python patterns, or {@code null} for none
     */
    public record ExtendedRegex(
            int groupSelect,
            String fallback,
            boolean ignoreCase,
            boolean ignorePunctuation,
            List<String> regexesToIgnore) {

        private static final Set<String> KEYWORDS =
                Set.of("group_select", "fallback", "ignore_case", "ignore_punctuation", "regexes_to_ignore");

        public ExtendedRegex {
            regexesToIgnore = regexesToIgnore == null ? null : List.copyOf(regexesToIgnore);
        }

        /**
         * The constructor's arguments from a step's keyword arguments, with upstream's defaults; {@code pattern} is
         * the keyword the filter takes its pattern by, which the caller reads.
         */
        static ExtendedRegex fromKwargs(String function, String pattern, Map<String, ?> kwargs) {
            for (String key : kwargs.keySet()) {
                if (!KEYWORDS.contains(key) && !key.equals(pattern)) {
                    throw new IllegalArgumentException(
                            function + " got an unexpected keyword argument " + key + " (upstream: TypeError)");
                }
            }
            Object fallback = kwargs.containsKey("fallback") ? kwargs.get("fallback") : FilterStep.DEFAULT_FALLBACK;
            if (!(fallback instanceof String f)) {
                throw new IllegalArgumentException(function + ": fallback must be a string");
            }
            List<String> regexes = null;
            if (kwargs.get("regexes_to_ignore") != null) {
                regexes = new ArrayList<>();
                for (Object regex : PythonOperands.iterate(kwargs.get("regexes_to_ignore"), "regexes_to_ignore")) {
                    if (!(regex instanceof String r)) {
                        throw new IllegalArgumentException(function + ": regexes_to_ignore must be strings");
                    }
                    regexes.add(r);
                }
            }
            return new ExtendedRegex(
                    PythonOperands.integer(
                            kwargs.containsKey("group_select") ? kwargs.get("group_select") : 0L, "group_select"),
                    f,
                    PythonOperands.truthy(kwargs.get("ignore_case")),
                    PythonOperands.truthy(kwargs.get("ignore_punctuation")),
                    regexes);
        }

        /**
         * {@code find_match}: the {@code group_select}-th finding (out of range is upstream's {@code IndexError},
         * thrown here), of a tuple its first non-empty group (upstream's {@code IndexError} when all are empty, also
         * thrown), stripped, then converted where {@code convert} knows it; "" where upstream returns its falsy
         * empty list or an empty string.
         */
        String find(Pattern regex, String response, Map<String, String> convert, String function) {
            List<Object> found = PyRe.findall(regex, response);
            if (found.isEmpty()) {
                return "";
            }
            int index = groupSelect < 0 ? found.size() + groupSelect : groupSelect;
            if (index < 0 || index >= found.size()) {
                throw new IllegalArgumentException(
                        "%s: group_select %d is out of range for %d matches (upstream: IndexError)"
                                .formatted(function, groupSelect, found.size()));
            }
            Object selected = found.get(index);
            String text;
            if (selected instanceof List<?> tuple) {
                text = tuple.stream()
                        .map(String.class::cast)
                        .filter(group -> !group.isEmpty())
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                function + ": every group of the selected match is empty (upstream: IndexError)"));
            } else {
                text = (String) selected;
            }
            text = PyStrings.strip(text);
            return !text.isEmpty() && convert.containsKey(text) ? convert.get(text) : text;
        }

        /**
         * {@code filter_ignores}: {@code regexes_to_ignore} removed in turn, then {@code lower()} if
         * {@code ignore_case}, then every character of a Unicode punctuation category (P*) deleted if
         * {@code ignore_punctuation}.
         */
        String normalized(String text) {
            String out = text;
            if (regexesToIgnore != null) {
                for (String regex : regexesToIgnore) {
                    out = PyRe.sub(regex, "", out, 0);
                }
            }
            if (ignoreCase) {
                out = PyStrings.lower(out);
            }
            if (ignorePunctuation) {
                StringBuilder kept = new StringBuilder(out.length());
                out.codePoints().filter(c -> !isPunctuation(c)).forEach(kept::appendCodePoint);
                out = kept.toString();
            }
            return out;
        }

        /** {@code unicodedata.category(c).startswith("P")}. */
        private static boolean isPunctuation(int c) {
            return switch (Character.getType(c)) {
                case Character.CONNECTOR_PUNCTUATION,
                        Character.DASH_PUNCTUATION,
                        Character.START_PUNCTUATION,
                        Character.END_PUNCTUATION,
                        Character.INITIAL_QUOTE_PUNCTUATION,
                        Character.FINAL_QUOTE_PUNCTUATION,
                        Character.OTHER_PUNCTUATION -> true;
                default -> false;
            };
        }
    }

    private static String string(Object response, String function) {
        if (!(response instanceof String text)) {
            throw new IllegalArgumentException(function + ": expected string, got " + PythonOperands.typeName(response)
                    + " (upstream: TypeError)");
        }
        return text;
    }

    private static String pattern(Map<String, ?> kwargs, String function) {
        Object pattern =
                kwargs.containsKey("regex_pattern") ? kwargs.get("regex_pattern") : FilterStep.DEFAULT_REGEX_PATTERN;
        if (!(pattern instanceof String p)) {
            throw new IllegalArgumentException(function + ": regex_pattern must be a string");
        }
        return p;
    }

    /**
     * {@code MultiChoiceRegexFilter}. Per response, the first of these that finds something non-empty, else the
     * fallback:
     * <ol>
     *   <li>the {@code regex_pattern} on the response as it is;
     *   <li>the options' texts (each {@code ([A-Z])...} of the document's {@code input}, up to a newline, {@code ^}
     *       or {@code (}, stripped and normalized), escaped and joined with {@code |}, on the normalized response;
     *       the text found becomes its option's letter in parentheses ({@code (B)});
     *   <li>{@code :[\s]*(A|B|...)} on the response as it is, the letter found becoming {@code (B)}.
     * </ol>
     * Each step finds as {@link ExtendedRegex#find} does. Two options with one normalized text map to the later
     * one's letter, as Python's dict keeps the last value.
     */
    public record MultiChoiceRegex(String regexPattern, ExtendedRegex options) implements FilterStep {

        private static final Pattern OPTION = PyRe.compile("\\([A-Z]\\)([^\\n^(]*)");

        /** From the step's keyword arguments, with {@code ExtendedRegexFilter}'s defaults. */
        public static MultiChoiceRegex fromKwargs(Map<String, ?> kwargs) {
            ExtendedRegex options = ExtendedRegex.fromKwargs(MULTI_CHOICE, "regex_pattern", kwargs);
            String pattern = pattern(kwargs, MULTI_CHOICE);
            PyRe.compile(pattern); // a bad pattern is refused when the task loads
            return new MultiChoiceRegex(pattern, options);
        }

        @Override
        public String function() {
            return "!function " + MULTI_CHOICE;
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            if (!(doc.get("input") instanceof String input)) {
                throw new IllegalArgumentException(MULTI_CHOICE + " needs the document's input (upstream: KeyError)");
            }
            List<String> optionPatterns = new ArrayList<>();
            Map<String, String> optionToLetter = new LinkedHashMap<>();
            List<String> letters = new ArrayList<>();
            Map<String, String> letterToTarget = new LinkedHashMap<>();
            char letter = 'A';
            for (Object option : PyRe.findall(OPTION, input)) {
                String text = options.normalized(PyStrings.strip((String) option));
                optionPatterns.add(PyRe.escape(text));
                optionToLetter.put(text, "(" + letter + ")");
                letters.add(String.valueOf(letter));
                letterToTarget.put(String.valueOf(letter), "(" + letter + ")");
                letter++;
            }
            Pattern compiled = PyRe.compile(regexPattern);
            Pattern byText = PyRe.compile(String.join("|", optionPatterns));
            Pattern byLetter = PyRe.compile(":[\\s]*(" + String.join("|", letters) + ")");
            List<Object> filtered = new ArrayList<>();
            for (Object response : PythonOperands.iterate(responses, MULTI_CHOICE)) {
                String text = string(response, MULTI_CHOICE);
                String match = options.find(compiled, text, Map.of(), MULTI_CHOICE);
                if (match.isEmpty()) {
                    match = options.find(byText, options.normalized(text), optionToLetter, MULTI_CHOICE);
                    if (match.isEmpty()) {
                        match = options.find(byLetter, text, letterToTarget, MULTI_CHOICE);
                    }
                }
                filtered.add(match.isEmpty() ? options.fallback() : match);
            }
            return Collections.unmodifiableList(filtered);
        }
    }

    /**
     * {@code MapRegexFilter}: the keys of {@code regex_pattern_to_value} joined with {@code |} find the
     * {@code group_select}-th match in the normalized response; then the first key, in the file's order, that
     * finds something in that normalized match gives the response its value. Nothing found either way, or a falsy
     * value, gives the fallback. Its keyword is {@code regex_pattern_to_value}; it takes no {@code regex_pattern}.
     *
     * @param patternToValue Python patterns to the values they stand for, in the file's order
     */
    public record MapRegex(Map<String, Object> patternToValue, ExtendedRegex options) implements FilterStep {

        public MapRegex {
            patternToValue = Collections.unmodifiableMap(new LinkedHashMap<>(patternToValue));
        }

        /** From the step's keyword arguments, with {@code ExtendedRegexFilter}'s defaults. */
        public static MapRegex fromKwargs(Map<String, ?> kwargs) {
            ExtendedRegex options = ExtendedRegex.fromKwargs(MAP_REGEX, "regex_pattern_to_value", kwargs);
            Object given =
                    kwargs.containsKey("regex_pattern_to_value") ? kwargs.get("regex_pattern_to_value") : Map.of();
            if (!(given instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(MAP_REGEX + ": regex_pattern_to_value must be a mapping, got "
                        + PythonOperands.typeName(given) + " (upstream: AttributeError)");
            }
            Map<String, Object> patternToValue = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String pattern)) {
                    throw new IllegalArgumentException(MAP_REGEX + ": every pattern must be a string");
                }
                PyRe.compile(pattern); // a bad pattern is refused when the task loads
                patternToValue.put(pattern, entry.getValue());
            }
            return new MapRegex(patternToValue, options);
        }

        @Override
        public String function() {
            return "!function " + MAP_REGEX;
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            Pattern whole = PyRe.compile(String.join("|", patternToValue.keySet()));
            List<Pattern> each =
                    patternToValue.keySet().stream().map(PyRe::compile).toList();
            List<Object> values = new ArrayList<>(patternToValue.values());
            List<Object> filtered = new ArrayList<>();
            for (Object response : PythonOperands.iterate(responses, MAP_REGEX)) {
                String text = string(response, MAP_REGEX);
                String match = options.find(whole, options.normalized(text), Map.of(), MAP_REGEX);
                Object value = null;
                if (!match.isEmpty()) {
                    String normalizedMatch = options.normalized(match);
                    for (int i = 0; i < each.size(); i++) {
                        if (!options.find(each.get(i), normalizedMatch, Map.of(), MAP_REGEX)
                                .isEmpty()) {
                            value = values.get(i);
                            break;
                        }
                    }
                }
                filtered.add(PythonOperands.truthy(value) ? value : options.fallback());
            }
            return Collections.unmodifiableList(filtered);
        }
    }

    /**
     * {@code NumberParseRegexFilter}: the {@code regex_pattern} on the response as it is; if it finds nothing, the
     * {@code group_select}-th run of English number words in the lower-cased response, as the number
     * {@code word2number} reads it ({@link WordToNumber}), else the fallback. Normalizing arguments are taken and,
     * as upstream, not used.
     *
     * <p>Upstream compiles its number-words pattern with the {@code regex} module, whose branch reset groups
     * ({@code (?|teen|ty)}) Java lacks; none of them holds a group, so each is the plain group {@code (?:teen|ty)}
     * here. Its whitespace is the {@code regex} module's {@code [^\S\r\n]}: Unicode's White_Space less CR and LF,
     * without the {@code \x1c}-{@code \x1f} that {@code re}'s {@code \s} also takes.
     */
    public record NumberParseRegex(String regexPattern, ExtendedRegex options) implements FilterStep {

        private static final String SCALES = "hundred|thousand|(?:m|b|tr)illion";

        private static final String SPACE_NOT_NEWLINE =
                "[\\t\\x0B\\f \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";

        /** One number word; the three places of upstream's pattern differ in which bare tens and eights they take. */
        private static String word(String tensEnding, String eightEnding) {
            return "zero|one|two|three|four|five|(?:twen|thir|for|fif|six|seven|nine)(?:" + tensEnding + ")|eight(?:"
                    + eightEnding + ")|ten|eleven|twelve|fourteen|" + SCALES;
        }

        static final Pattern ENGLISH_NUMBER = Pattern.compile("((?:(?:" + word("teen|ty", "|een|y") + ")(?:"
                + word("|teen|ty", "een|y") + "|" + SPACE_NOT_NEWLINE + "|,|and|&)+)?(?:" + word("teen|ty", "een|y")
                + "))");

        /** From the step's keyword arguments, with {@code ExtendedRegexFilter}'s defaults. */
        public static NumberParseRegex fromKwargs(Map<String, ?> kwargs) {
            ExtendedRegex options = ExtendedRegex.fromKwargs(NUMBER_PARSE, "regex_pattern", kwargs);
            String pattern = pattern(kwargs, NUMBER_PARSE);
            PyRe.compile(pattern); // a bad pattern is refused when the task loads
            return new NumberParseRegex(pattern, options);
        }

        @Override
        public String function() {
            return "!function " + NUMBER_PARSE;
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            Pattern compiled = PyRe.compile(regexPattern);
            List<Object> filtered = new ArrayList<>();
            for (Object response : PythonOperands.iterate(responses, NUMBER_PARSE)) {
                String text = string(response, NUMBER_PARSE);
                String match = options.find(compiled, text, Map.of(), NUMBER_PARSE);
                if (match.isEmpty()) {
                    match = options.find(ENGLISH_NUMBER, PyStrings.lower(text), Map.of(), NUMBER_PARSE);
                    if (!match.isEmpty()) {
                        match = Long.toString(WordToNumber.wordToNum(match));
                    }
                }
                filtered.add(match.isEmpty() ? options.fallback() : match);
            }
            return Collections.unmodifiableList(filtered);
        }
    }

    /**
     * {@code WordSortFilter}: the words of the document's list (its {@code input} after the first {@code List:},
     * split on whitespace) are searched for in each response as {@code \bword\b}, unescaped, as upstream builds
     * the pattern; the words found, each once, ordered by where it last occurs, joined with spaces. Keyword
     * arguments are accepted and ignored, as lm-eval's {@code Filter} base does.
     */
    public record WordSort() implements FilterStep {

        @Override
        public String function() {
            return "!function " + WORD_SORT;
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            if (!(doc.get("input") instanceof String input)) {
                throw new IllegalArgumentException(WORD_SORT + " needs the document's input (upstream: KeyError)");
            }
            List<String> parts = PyStrings.split(input, "List:", -1);
            if (parts.size() < 2) {
                throw new IllegalArgumentException(
                        WORD_SORT + ": the document's input has no \"List:\" (upstream: IndexError)");
            }
            List<String> alternatives = new ArrayList<>();
            for (String word : PyStrings.split(PyStrings.strip(parts.get(1)), null, -1)) {
                alternatives.add("\\b" + word + "\\b");
            }
            Pattern words = PyRe.compile(String.join("|", alternatives));
            List<Object> filtered = new ArrayList<>();
            for (Object response : PythonOperands.iterate(responses, WORD_SORT)) {
                List<Object> found = PyRe.findall(words, string(response, WORD_SORT));
                Collections.reverse(found);
                List<String> ordered = new ArrayList<>();
                for (Object word : new LinkedHashSet<>(found)) {
                    if (!(word instanceof String w)) {
                        throw new IllegalArgumentException(WORD_SORT
                                + ": a listed word holds a group, so its matches are tuples (upstream: TypeError)");
                    }
                    ordered.add(w);
                }
                Collections.reverse(ordered);
                filtered.add(String.join(" ", ordered));
            }
            return Collections.unmodifiableList(filtered);
        }
    }
}
