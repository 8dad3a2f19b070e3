package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.TextTokenizer;
import java.util.List;

/**
 * Watches a row's generated tokens for stop strings, decoding only a tail of them each step (like lm-eval's
 * stopping criterion) so that a long completion does not cost a full decode per token.
 */
final class StopStrings {

    private final List<String> stops;
    private final int window;

    StopStrings(List<String> stops) {
        this.stops = stops.stream().filter(stop -> !stop.isEmpty()).toList();
        int longest = this.stops.stream().mapToInt(String::length).max().orElse(0);
        // A token is at least one character, or a fraction of one for byte-fallback tokens (up to 4 per char).
        this.window = 4 * longest + 8;
    }

    boolean any() {
        return !stops.isEmpty();
    }

    /** Whether the last tokens of {@code generated[0..count)} contain a stop string. */
    boolean matches(TextTokenizer tokenizer, int[] generated, int count) {
        if (stops.isEmpty()) {
            return false;
        }
        int from = Math.max(0, count - window);
        int[] tail = java.util.Arrays.copyOfRange(generated, from, count);
        String text = tokenizer.decode(tail, true);
        for (String stop : stops) {
            if (text.contains(stop)) {
                return true;
            }
        }
        return false;
    }

    /** The text up to the first occurrence of any stop string. */
    String cut(String text) {
        int end = text.length();
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return text.substring(0, end);
    }
}
