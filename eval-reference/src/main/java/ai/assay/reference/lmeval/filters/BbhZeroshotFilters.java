package ai.assay.reference.lmeval.filters;

import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.python.PyRe;
import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The filter functions of lm-eval's {@code tasks/bbh/cot_zeroshot/utils.py} that have a Java implementation here:
 * {@code MultiChoiceRegexFilter}, which 17 of the 27 zero-shot subtasks use for {@code flexible-extract}.
 * {@code MapRegexFilter}, {@code NumberParseRegexFilter} (it needs the {@code regex} module's branch reset and
 * {@code word2number}) and {@code WordSortFilter} are refused, by name.
 */
public final class BbhZeroshotFilters {

    private static final String DIRECTORY = "bbh/cot_zeroshot";

    private static final String MULTI_CHOICE = "utils.MultiChoiceRegexFilter";

    /**
     * The functions above for a task of {@code bbh/cot_zeroshot}: a reference written as in the file
     * ({@code utils.MultiChoiceRegexFilter}) or named with its directory
     * ({@code bbh/cot_zeroshot:utils.MultiChoiceRegexFilter}).
     */
    public static final CustomFilters KNOWN = BbhZeroshotFilters::step;

    private BbhZeroshotFilters() {}

    private static Optional<FilterStep> step(FunctionRef function, Map<String, Object> kwargs) {
        String key = function.key();
        if (key.equals(MULTI_CHOICE) || key.equals(DIRECTORY + ":" + MULTI_CHOICE)) {
            return Optional.of(MultiChoiceRegex.fromKwargs(kwargs));
        }
        return Optional.empty();
    }

    /**
     * {@code MultiChoiceRegexFilter} (an {@code ExtendedRegexFilter}). Per response, the first of these that finds
     * something non-empty, else the fallback:
     * <ol>
     *   <li>the {@code regex_pattern} on the response as it is;
     *   <li>the options' texts (each {@code ([A-Z])...} of the document's {@code input}, up to a newline, {@code ^}
     *       or {@code (}, stripped and normalized), escaped and joined with {@code |}, on the normalized response;
     *       the text found becomes its option's letter in parentheses ({@code (B)});
     *   <li>{@code :[\s]*(A|B|...)} on the response as it is, the letter found becoming {@code (B)}.
     * </ol>
     * Each step takes the {@code group_select}-th finding (out of range is upstream's {@code IndexError}, thrown
     * here), the first non-empty group of a tuple (upstream's {@code IndexError} when all are empty, also thrown),
     * and strips it. Normalized is {@code filter_ignores}: {@code regexes_to_ignore} removed in turn, then
     * {@code lower()} if {@code ignore_case}, then every character of a Unicode punctuation category (P*) deleted if
     * {@code ignore_punctuation}. Two options with one normalized text map to the later one's letter, as Python's
     * dict keeps the last value.
     *
     * @param regexesToIgnore Python patterns, or {@code null} for none
     */
    public record MultiChoiceRegex(
            String regexPattern,
            int groupSelect,
            String fallback,
            boolean ignoreCase,
            boolean ignorePunctuation,
            List<String> regexesToIgnore,
            Pattern compiled)
            implements FilterStep {

        private static final Pattern OPTION = PyRe.compile("\\([A-Z]\\)([^\\n^(]*)");

        private static final Set<String> KEYWORDS = Set.of(
                "regex_pattern", "group_select", "fallback", "ignore_case", "ignore_punctuation", "regexes_to_ignore");

        public MultiChoiceRegex {
            regexesToIgnore = regexesToIgnore == null ? null : List.copyOf(regexesToIgnore);
        }

        /** From the step's keyword arguments, with {@code ExtendedRegexFilter}'s defaults. */
        public static MultiChoiceRegex fromKwargs(Map<String, ?> kwargs) {
            for (String key : kwargs.keySet()) {
                if (!KEYWORDS.contains(key)) {
                    throw new IllegalArgumentException(MULTI_CHOICE + " got an unexpected keyword argument " + key);
                }
            }
            Object pattern = kwargs.containsKey("regex_pattern")
                    ? kwargs.get("regex_pattern")
                    : FilterStep.DEFAULT_REGEX_PATTERN;
            Object fallback = kwargs.containsKey("fallback") ? kwargs.get("fallback") : FilterStep.DEFAULT_FALLBACK;
            if (!(pattern instanceof String p) || !(fallback instanceof String f)) {
                throw new IllegalArgumentException(MULTI_CHOICE + ": regex_pattern and fallback must be strings");
            }
            List<String> regexes = null;
            if (kwargs.get("regexes_to_ignore") != null) {
                regexes = new ArrayList<>();
                for (Object regex : PythonOperands.iterate(kwargs.get("regexes_to_ignore"), "regexes_to_ignore")) {
                    regexes.add((String) regex);
                }
            }
            return new MultiChoiceRegex(
                    p,
                    PythonOperands.integer(
                            kwargs.containsKey("group_select") ? kwargs.get("group_select") : 0L, "group_select"),
                    f,
                    PythonOperands.truthy(kwargs.get("ignore_case")),
                    PythonOperands.truthy(kwargs.get("ignore_punctuation")),
                    regexes,
                    PyRe.compile(p));
        }

        @Override
        public String function() {
            return "!function " + MULTI_CHOICE;
        }

        /** Equal when built from the same arguments ({@link Pattern} compares by identity). */
        @Override
        public boolean equals(Object other) {
            return other instanceof MultiChoiceRegex that
                    && regexPattern.equals(that.regexPattern)
                    && groupSelect == that.groupSelect
                    && fallback.equals(that.fallback)
                    && ignoreCase == that.ignoreCase
                    && ignorePunctuation == that.ignorePunctuation
                    && Objects.equals(regexesToIgnore, that.regexesToIgnore);
        }

        @Override
        public int hashCode() {
            return Objects.hash(regexPattern, groupSelect, fallback, ignoreCase, ignorePunctuation, regexesToIgnore);
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
                String text = normalized(PyStrings.strip((String) option));
                optionPatterns.add(PyRe.escape(text));
                optionToLetter.put(text, "(" + letter + ")");
                letters.add(String.valueOf(letter));
                letterToTarget.put(String.valueOf(letter), "(" + letter + ")");
                letter++;
            }
            Pattern byText = PyRe.compile(String.join("|", optionPatterns));
            Pattern byLetter = PyRe.compile(":[\\s]*(" + String.join("|", letters) + ")");
            List<Object> filtered = new ArrayList<>();
            for (Object response : PythonOperands.iterate(responses, MULTI_CHOICE)) {
                if (!(response instanceof String text)) {
                    throw new IllegalArgumentException(MULTI_CHOICE + ": expected string, got "
                            + PythonOperands.typeName(response) + " (upstream: TypeError)");
                }
                String match = find(compiled, text, Map.of());
                if (match.isEmpty()) {
                    match = find(byText, normalized(text), optionToLetter);
                    if (match.isEmpty()) {
                        match = find(byLetter, text, letterToTarget);
                    }
                }
                filtered.add(match.isEmpty() ? fallback : match);
            }
            return Collections.unmodifiableList(filtered);
        }

        /** {@code find_match}: "" where upstream returns its falsy empty list or an empty string. */
        private String find(Pattern regex, String response, Map<String, String> convert) {
            List<Object> found = PyRe.findall(regex, response);
            if (found.isEmpty()) {
                return "";
            }
            int index = groupSelect < 0 ? found.size() + groupSelect : groupSelect;
            if (index < 0 || index >= found.size()) {
                throw new IllegalArgumentException(
                        "%s: group_select %d is out of range for %d matches (upstream: IndexError)"
                                .formatted(MULTI_CHOICE, groupSelect, found.size()));
            }
            Object selected = found.get(index);
            String text;
            if (selected instanceof List<?> tuple) {
                text = tuple.stream()
                        .map(String.class::cast)
                        .filter(group -> !group.isEmpty())
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                MULTI_CHOICE + ": every group of the selected match is empty (upstream: IndexError)"));
            } else {
                text = (String) selected;
            }
            text = PyStrings.strip(text);
            return !text.isEmpty() && convert.containsKey(text) ? convert.get(text) : text;
        }

        /** {@code filter_ignores}. */
        private String normalized(String text) {
            String out = text;
            if (regexesToIgnore != null) {
                for (String regex : regexesToIgnore) {
                    out = PyRe.sub(regex, "", out, 0);
                }
            }
            if (ignoreCase) {
                out = out.toLowerCase(Locale.ROOT);
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
}
