package ai.assay.reference.lmeval.filters;

import ai.assay.reference.python.PyRe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * lm-eval's {@code exact_match} for generated text ({@code exact_match_hf_evaluate} in {@code lm_eval/api/metrics.py},
 * a port of Hugging Face evaluate's {@code exact_match}, which {@code hf_evaluate: true} calls instead; both compute
 * the same). In this order, on the predictions and the references alike: each of {@code regexes_to_ignore} in turn
 * removed with {@code re.sub(pattern, "", s)}; {@code ignore_case} lower-cases; {@code ignore_punctuation} deletes
 * the characters of {@code string.punctuation} (ASCII only); {@code ignore_numbers} deletes ASCII digits; then the
 * mean over the batch of {@code prediction == reference}.
 *
 * <p>Hand-written to keep what numpy does on the way, since the strings pass through numpy arrays of fixed width:
 * an array drops its strings' trailing NUL characters, and {@code np.char.lower} keeps the array's width, so a
 * character whose lower case is longer ({@code İ}) is cut to the width of the longest string in the batch. And when
 * {@code regexes_to_ignore} is an empty list and no other option is set, the two Python lists are compared as
 * wholes, giving 1.0 only if every pair matches.
 *
 * @param regexesToIgnore Python patterns, or {@code null} when the option is absent (None)
 */
public record ExactMatch(
        List<String> regexesToIgnore, boolean ignoreCase, boolean ignorePunctuation, boolean ignoreNumbers) {

    /** Python's {@code string.punctuation}. */
    public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static final String DIGITS = "0123456789";

    private static final Set<String> KEYWORDS =
            Set.of("regexes_to_ignore", "ignore_case", "ignore_punctuation", "ignore_numbers");

    public ExactMatch {
        regexesToIgnore = regexesToIgnore == null ? null : List.copyOf(regexesToIgnore);
    }

    /** {@code exact_match} without options: plain string equality. */
    public static ExactMatch plain() {
        return new ExactMatch(null, false, false, false);
    }

    /**
     * The options from a {@code metric_list} entry's keyword arguments (the entry without {@code metric},
     * {@code aggregation}, {@code higher_is_better} and {@code hf_evaluate}, as lm-eval passes them). Flags are
     * taken by Python truth; {@code regexes_to_ignore} is iterated, so a single string is its characters.
     *
     * @throws IllegalArgumentException for a keyword {@code exact_match} does not take (upstream: {@code TypeError})
     */
    public static ExactMatch fromKwargs(Map<String, ?> kwargs) {
        for (String key : kwargs.keySet()) {
            if (!KEYWORDS.contains(key)) {
                throw new IllegalArgumentException("exact_match got an unexpected keyword argument " + key);
            }
        }
        Object regexes = kwargs.get("regexes_to_ignore");
        List<String> patterns = null;
        if (regexes != null) {
            patterns = new ArrayList<>();
            for (Object pattern : PythonOperands.iterate(regexes, "regexes_to_ignore")) {
                if (!(pattern instanceof String p)) {
                    throw new IllegalArgumentException("regexes_to_ignore must hold strings, got " + regexes);
                }
                patterns.add(p);
            }
        }
        return new ExactMatch(
                patterns,
                PythonOperands.truthy(kwargs.get("ignore_case")),
                PythonOperands.truthy(kwargs.get("ignore_punctuation")),
                PythonOperands.truthy(kwargs.get("ignore_numbers")));
    }

    /** {@code exact_match(predictions=[prediction], references=[reference])}: 0.0 or 1.0. */
    public double score(String prediction, String reference) {
        return score(List.of(prediction), List.of(reference));
    }

    /**
     * {@code exact_match(predictions=..., references=...)["exact_match"]}: the fraction of equal pairs.
     *
     * @throws IllegalArgumentException when the lists differ in length (numpy cannot broadcast them)
     */
    public double score(List<String> predictions, List<String> references) {
        Strings p = Strings.pythonList(predictions);
        Strings r = Strings.pythonList(references);
        if (regexesToIgnore != null) {
            for (String pattern : regexesToIgnore) {
                p = Strings.array(p.values().stream()
                        .map(s -> PyRe.sub(pattern, "", s, 0))
                        .toList());
                r = Strings.array(r.values().stream()
                        .map(s -> PyRe.sub(pattern, "", s, 0))
                        .toList());
            }
        } else {
            p = p.asArray();
            r = r.asArray();
        }
        if (ignoreCase) {
            p = p.asArray().lower();
            r = r.asArray().lower();
        }
        if (ignorePunctuation) {
            p = p.asArray().delete(PUNCTUATION);
            r = r.asArray().delete(PUNCTUATION);
        }
        if (ignoreNumbers) {
            p = p.asArray().delete(DIGITS);
            r = r.asArray().delete(DIGITS);
        }
        if (!p.isArray()) {
            // Two Python lists: `==` compares them whole and np.mean of one bool is that bool.
            return p.values().equals(r.values()) ? 1.0 : 0.0;
        }
        if (p.values().size() != r.values().size()) {
            throw new IllegalArgumentException("exact_match: %d predictions for %d references"
                    .formatted(p.values().size(), r.values().size()));
        }
        int equal = 0;
        for (int i = 0; i < p.values().size(); i++) {
            if (p.values().get(i).equals(r.values().get(i))) {
                equal++;
            }
        }
        return (double) equal / p.values().size();
    }

    /**
     * A batch of strings, either a Python list or a numpy str array of {@code width} code points (what its dtype
     * {@code <U width} holds).
     */
    private record Strings(List<String> values, int width, boolean isArray) {

        static Strings pythonList(List<String> values) {
            return new Strings(List.copyOf(values), 0, false);
        }

        /** {@code np.array(values)}: as wide as the longest string (at least 1), trailing NULs dropped. */
        static Strings array(List<String> values) {
            int width = 1;
            for (String value : values) {
                width = Math.max(width, value.codePointCount(0, value.length()));
            }
            return new Strings(values.stream().map(Strings::stored).toList(), width, true);
        }

        Strings asArray() {
            return isArray ? this : array(values);
        }

        /** {@code np.char.lower}: {@code str.lower()} of each, cut to the array's width. */
        Strings lower() {
            List<String> lowered = new ArrayList<>();
            for (String value : values) {
                String lower = value.toLowerCase(Locale.ROOT);
                if (lower.codePointCount(0, lower.length()) > width) {
                    lower = lower.substring(0, lower.offsetByCodePoints(0, width));
                }
                lowered.add(stored(lower));
            }
            return new Strings(Collections.unmodifiableList(lowered), width, true);
        }

        /** {@code np.char.translate} with a table that deletes {@code characters}. */
        Strings delete(String characters) {
            List<String> kept = new ArrayList<>();
            for (String value : values) {
                StringBuilder out = new StringBuilder(value.length());
                value.codePoints().filter(c -> characters.indexOf(c) < 0).forEach(out::appendCodePoint);
                kept.add(stored(out.toString()));
            }
            return new Strings(Collections.unmodifiableList(kept), width, true);
        }

        /** What a numpy str array gives back for a string put in it: trailing NULs are padding to numpy. */
        private static String stored(String value) {
            int end = value.length();
            while (end > 0 && value.charAt(end - 1) == '\0') {
                end--;
            }
            return value.substring(0, end);
        }
    }
}
