package ai.assay.reference.alpacaeval.judging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AlpacaEval's {@code regex_parser(completion, outputs_to_match)}: repeatedly finds, among the patterns, the match
 * that starts earliest in the rest of the completion (the first pattern in map order on ties), records that
 * pattern's key and continues after the match. So a batched answer gives one key per example, in order.
 *
 * <p>Patterns are Python regular expressions compiled as Java ones: {@code (?P<name>...)} and {@code (?P=name)} are
 * translated, and {@code \w}, {@code \d}, {@code \s}, {@code \b} are Unicode-aware as in Python 3. A pattern that
 * matches the empty string would make upstream loop forever; here it is rejected.
 *
 * @param <K> the keys, e.g. the preferences 1 and 2
 */
public final class RegexParser<K> {

    private final Map<K, Pattern> outputsToMatch;

    /** @param outputsToMatch key to Python regex, in priority order (use an ordered map) */
    public RegexParser(Map<K, String> outputsToMatch) {
        Map<K, Pattern> compiled = new LinkedHashMap<>();
        outputsToMatch.forEach((key, regex) -> compiled.put(key, compile(regex)));
        this.outputsToMatch = compiled;
    }

    /** @throws IllegalArgumentException for an empty completion (as upstream) */
    public List<K> parse(String completion) {
        if (completion.isEmpty()) {
            throw new IllegalArgumentException("the completion is empty");
        }
        List<K> keys = new ArrayList<>();
        String rest = completion;
        for (; ; ) {
            K firstKey = null;
            int firstStart = -1;
            int firstEnd = -1;
            for (Map.Entry<K, Pattern> entry : outputsToMatch.entrySet()) {
                Matcher matcher = entry.getValue().matcher(rest);
                if (matcher.find() && (firstStart < 0 || matcher.start() < firstStart)) {
                    firstKey = entry.getKey();
                    firstStart = matcher.start();
                    firstEnd = matcher.end();
                }
            }
            if (firstStart < 0) {
                return keys;
            }
            if (firstEnd == 0) {
                throw new IllegalArgumentException("pattern for " + firstKey + " matches the empty string");
            }
            keys.add(firstKey);
            rest = rest.substring(firstEnd);
        }
    }

    private static Pattern compile(String pythonRegex) {
        String java = pythonRegex.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        return Pattern.compile(java, Pattern.UNICODE_CHARACTER_CLASS);
    }
}
