package ai.assay.reference.lmeval.filters;

import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.python.PyRe;
import ai.assay.reference.python.PyStrings;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One filter of an lm-eval filter pipeline (a {@code Filter} of {@code lm_eval/filters/}), applied to one
 * document's responses: what upstream's {@code apply(resps, docs)} does to that document's entry.
 *
 * <p>The value a step receives is what the previous step left: at first the document's list of responses (one per
 * repeat), after {@code take_first} a single response. Upstream iterates whatever it gets, so a per-response filter
 * placed after {@code take_first} runs over the characters of the one response; the steps here do the same rather
 * than guess what the task meant.
 */
public interface FilterStep {

    /** The pinned commit's {@code regex} pattern default: GSM8K's {@code #### N}. */
    String DEFAULT_REGEX_PATTERN = "#### (\\-?[0-9\\.\\,]+)";

    /** {@code RegexFilter}'s default fallback. */
    String DEFAULT_FALLBACK = "[invalid]";

    /** Filters registered at the pinned commit that have no Java implementation here. */
    Set<String> UPSTREAM_NOT_IMPLEMENTED =
            Set.of("regex_pos", "multi_choice_regex", "format_span", "decontaminate", "ACP_grammar_filter");

    /**
     * @param responses a list of responses, or one response (after {@code take_first})
     * @param doc       the document the responses answer, as Python values ({@code Doc.values()}); most filters
     *                  ignore it
     */
    Object apply(Object responses, Map<String, ?> doc);

    /** The name the filter is registered under in lm-eval, as a task file names it. */
    String function();

    /**
     * A step from one entry of a pipeline's {@code filter} list ({@code {function: regex, regex_pattern: ...}}), as
     * lm-eval's {@code ConfigurableTask} builds it: every key other than {@code function} is a keyword argument of
     * the filter's constructor. A keyword the constructor does not take is refused (Python raises a
     * {@code TypeError}), except for {@code remove_whitespace} and {@code take_first_k}, whose constructors accept
     * any.
     *
     * @throws IllegalArgumentException for a function lm-eval does not register, one not implemented here (its
     *     name in the message), a {@code !function} filter {@code custom} does not know, or a bad argument
     */
    static FilterStep fromYaml(Map<String, ?> entry, CustomFilters custom) {
        Object function = entry.get("function");
        Map<String, Object> kwargs = new LinkedHashMap<>(entry);
        kwargs.remove("function");
        if (function instanceof FunctionRef ref) {
            return custom.step(ref, kwargs)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "filter " + ref + " is a task's own Python function, which has no Java implementation"));
        }
        if (!(function instanceof String name)) {
            throw new IllegalArgumentException("a filter needs a function name, got " + entry);
        }
        return switch (name) {
            case "custom" -> {
                Object filterFn = kwargs.remove("filter_fn");
                if (!(filterFn instanceof FunctionRef ref)) {
                    throw new IllegalArgumentException("filter custom needs filter_fn: !function ..., got " + entry);
                }
                yield custom.step(ref, kwargs)
                        .orElseThrow(() -> new IllegalArgumentException("filter custom's filter_fn " + ref
                                + " is a task's own Python function, which has no Java implementation"));
            }
            case "regex" -> {
                onlyArguments(name, kwargs, "regex_pattern", "group_select", "fallback");
                Object pattern = kwargs.getOrDefault("regex_pattern", DEFAULT_REGEX_PATTERN);
                Object fallback = kwargs.getOrDefault("fallback", DEFAULT_FALLBACK);
                if (!(pattern instanceof String p) || !(fallback instanceof String f)) {
                    throw new IllegalArgumentException("regex: regex_pattern and fallback must be strings in " + entry);
                }
                yield Regex.of(p, PythonOperands.integer(kwargs.getOrDefault("group_select", 0L), "group_select"), f);
            }
            case "take_first" -> {
                onlyArguments(name, kwargs);
                yield new TakeFirst();
            }
            case "take_first_k" -> {
                if (!kwargs.containsKey("k")) {
                    throw new IllegalArgumentException("take_first_k needs k (upstream: KeyError 'k')");
                }
                yield new TakeFirstK(PythonOperands.integer(kwargs.get("k"), "take_first_k's k"));
            }
            case "majority_vote" -> {
                onlyArguments(name, kwargs);
                yield new MajorityVote();
            }
            case "remove_whitespace" -> new RemoveWhitespace();
            case "lowercase" -> {
                onlyArguments(name, kwargs);
                yield new Lowercase();
            }
            case "uppercase" -> {
                onlyArguments(name, kwargs);
                yield new Uppercase();
            }
            case "map" -> {
                onlyArguments(name, kwargs, "mapping_dict", "default_value");
                Object mapping = kwargs.get("mapping_dict");
                if (mapping != null && !(mapping instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException("map: mapping_dict is not a dictionary in " + entry);
                }
                yield MapValues.of(mapping == null ? Map.of() : (Map<?, ?>) mapping, kwargs.get("default_value"));
            }
            default -> {
                if (UPSTREAM_NOT_IMPLEMENTED.contains(name)) {
                    throw new IllegalArgumentException("filter " + name + " is not implemented");
                }
                throw new IllegalArgumentException("unknown filter " + name + " (lm-eval registers no such filter)");
            }
        };
    }

    /** {@link #fromYaml(Map, CustomFilters)} knowing no task functions. */
    static FilterStep fromYaml(Map<String, ?> entry) {
        return fromYaml(entry, CustomFilters.NONE);
    }

    private static void onlyArguments(String function, Map<String, Object> kwargs, String... accepted) {
        List<String> unexpected = new ArrayList<>(kwargs.keySet());
        unexpected.removeAll(List.of(accepted));
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException(
                    "filter " + function + " got unexpected keyword arguments " + unexpected);
        }
    }

    /**
     * {@code regex} ({@code RegexFilter}): per response, {@code re.findall}; none found gives the fallback;
     * otherwise the {@code group_select}-th finding (a Python index: -1 is the last; out of range is upstream's
     * {@code IndexError}, thrown here too). A pattern with several groups finds tuples: the first non-empty group is
     * taken, or the fallback if all are empty. The result is {@code strip()}ped (the fallback too, in that tuple
     * case only). A response that is not a string is matched as {@code ""}.
     */
    record Regex(String regexPattern, int groupSelect, String fallback, Pattern compiled) implements FilterStep {

        public static Regex of(String regexPattern, int groupSelect, String fallback) {
            return new Regex(regexPattern, groupSelect, fallback, PyRe.compile(regexPattern));
        }

        @Override
        public String function() {
            return "regex";
        }

        /** Equal when built from the same arguments ({@link Pattern} compares by identity). */
        @Override
        public boolean equals(Object other) {
            return other instanceof Regex that
                    && regexPattern.equals(that.regexPattern)
                    && groupSelect == that.groupSelect
                    && fallback.equals(that.fallback);
        }

        @Override
        public int hashCode() {
            return Objects.hash(regexPattern, groupSelect, fallback);
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            List<Object> filtered = new ArrayList<>();
            for (Object response : PythonOperands.iterate(responses, "regex")) {
                filtered.add(extract(response instanceof String s ? s : ""));
            }
            return Collections.unmodifiableList(filtered);
        }

        /** The filter's result for one response. */
        public String extract(String response) {
            List<Object> found = PyRe.findall(compiled, response);
            if (found.isEmpty()) {
                return fallback;
            }
            int index = groupSelect < 0 ? found.size() + groupSelect : groupSelect;
            if (index < 0 || index >= found.size()) {
                throw new IllegalArgumentException("regex filter %s: group_select %d is out of range for %d matches"
                                .formatted(PyStrings.repr(regexPattern), groupSelect, found.size())
                        + " (upstream: IndexError)");
            }
            Object selected = found.get(index);
            String text;
            if (selected instanceof List<?> tuple) {
                text = tuple.stream()
                        .map(String.class::cast)
                        .filter(group -> !group.isEmpty())
                        .findFirst()
                        .orElse(fallback);
            } else {
                text = (String) selected;
            }
            return PyStrings.strip(text);
        }
    }

    /**
     * {@code take_first} ({@code TakeFirstFilter}): {@code resps[0]}, the first response, which ends the list: the
     * pipeline's value is that one response from here on.
     */
    record TakeFirst() implements FilterStep {

        @Override
        public String function() {
            return "take_first";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            List<Object> items = PythonOperands.iterate(responses, "take_first");
            if (items.isEmpty()) {
                throw new IllegalArgumentException("take_first: no response (upstream: IndexError)");
            }
            return items.get(0);
        }
    }

    /**
     * {@code take_first_k} ({@code TakeKFilter}): {@code resps[:k]}. Upstream asserts that the task's first
     * document has at least k responses; here each document is checked, which is the same where every document has
     * {@code repeats} responses, as lm-eval gives them.
     */
    record TakeFirstK(int k) implements FilterStep {

        @Override
        public String function() {
            return "take_first_k";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            int length = PythonOperands.length(responses, "take_first_k");
            if (length < k) {
                throw new IllegalArgumentException(
                        "Need at least %d responses per doc to take first %d, but got %d only".formatted(k, k, length));
            }
            int stop = k < 0 ? Math.max(0, length + k) : Math.min(k, length);
            if (responses instanceof String s) {
                return s.substring(0, s.offsetByCodePoints(0, stop));
            }
            return List.copyOf(PythonOperands.iterate(responses, "take_first_k").subList(0, stop));
        }
    }

    /**
     * {@code majority_vote} ({@code MajorityVoteFilter}): {@code [Counter(resps).most_common(1)[0][0]]}, the most
     * frequent response as a one-item list. {@code most_common(1)} is {@code max} over the counts in insertion
     * order, so of tied responses the one that occurred first wins.
     */
    record MajorityVote() implements FilterStep {

        @Override
        public String function() {
            return "majority_vote";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            List<Object> keys = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            for (Object response : PythonOperands.iterate(responses, "majority_vote")) {
                if (!PythonOperands.hashable(response)) {
                    throw new IllegalArgumentException(
                            "majority_vote: unhashable type " + PythonOperands.typeName(response));
                }
                int at = indexOf(keys, response);
                if (at < 0) {
                    keys.add(response);
                    counts.add(1);
                } else {
                    counts.set(at, counts.get(at) + 1);
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("majority_vote: no response (upstream: IndexError)");
            }
            int best = 0;
            for (int i = 1; i < keys.size(); i++) {
                if (counts.get(i) > counts.get(best)) {
                    best = i;
                }
            }
            return Collections.singletonList(keys.get(best));
        }
    }

    /** {@code remove_whitespace} ({@code WhitespaceFilter}): each response {@code strip()}ped. */
    record RemoveWhitespace() implements FilterStep {

        @Override
        public String function() {
            return "remove_whitespace";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            return eachString(responses, function(), PyStrings::strip);
        }
    }

    /**
     * {@code lowercase}: each response's {@code str.lower()}, Python's full Unicode mapping, which
     * {@link String#toLowerCase(Locale)} under {@link Locale#ROOT} also applies (final sigma included); the two can
     * differ only where their Unicode versions do.
     */
    record Lowercase() implements FilterStep {

        @Override
        public String function() {
            return "lowercase";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            return eachString(responses, function(), s -> s.toLowerCase(Locale.ROOT));
        }
    }

    /** {@code uppercase}: each response's {@code str.upper()} (full mapping: {@code ß} becomes {@code SS}). */
    record Uppercase() implements FilterStep {

        @Override
        public String function() {
            return "uppercase";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            return eachString(responses, function(), s -> s.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * {@code map} ({@code MapFilter}): each response replaced by {@code mapping_dict.get(resp, default_value)}; keys
     * compare as Python's do ({@code 1 == 1.0}). A value may be anything the YAML gives, {@code null} for None.
     */
    record MapValues(Map<?, ?> mappingDict, Object defaultValue) implements FilterStep {

        public static MapValues of(Map<?, ?> mappingDict, Object defaultValue) {
            return new MapValues(Collections.unmodifiableMap(new LinkedHashMap<>(mappingDict)), defaultValue);
        }

        @Override
        public String function() {
            return "map";
        }

        @Override
        public Object apply(Object responses, Map<String, ?> doc) {
            List<Object> mapped = new ArrayList<>();
            for (Object response : PythonOperands.iterate(responses, "map")) {
                if (!PythonOperands.hashable(response)) {
                    throw new IllegalArgumentException("map: unhashable type " + PythonOperands.typeName(response));
                }
                Object value = defaultValue;
                for (Map.Entry<?, ?> entry : mappingDict.entrySet()) {
                    if (PyValues.equal(entry.getKey(), response)) {
                        value = entry.getValue();
                        break;
                    }
                }
                mapped.add(value);
            }
            return Collections.unmodifiableList(mapped);
        }
    }

    private static int indexOf(List<Object> keys, Object value) {
        for (int i = 0; i < keys.size(); i++) {
            if (PyValues.equal(keys.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> eachString(Object responses, String function, UnaryOperator<String> operation) {
        List<String> out = new ArrayList<>();
        for (Object response : PythonOperands.iterate(responses, function)) {
            if (!(response instanceof String s)) {
                throw new IllegalArgumentException(
                        function + ": " + PythonOperands.typeName(response) + " object has no string methods");
            }
            out.add(operation.apply(s));
        }
        return Collections.unmodifiableList(out);
    }
}
