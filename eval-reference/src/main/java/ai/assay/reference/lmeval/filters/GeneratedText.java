package ai.assay.reference.lmeval.filters;

import ai.assay.reference.python.PyStrings;
import java.util.ArrayList;
import java.util.List;

/**
 * What lm-eval does to a model's generated text before any filter sees it ({@code lm_eval/models/utils.py}:
 * {@code handle_stop_sequences} and {@code postprocess_generated_text}, which the HF backend calls on the decoded
 * continuation).
 */
public final class GeneratedText {

    private GeneratedText() {}

    /**
     * {@code handle_stop_sequences(until, eos)}: the task's {@code until} as a list (a single string becomes a list
     * of one, none an empty list) with the model's EOS string appended unless it is already there.
     *
     * @param until a {@link String}, a list of strings or {@code null}, as the task's {@code generation_kwargs} give it
     * @param eos   the decoded EOS token, or {@code null}
     * @throws IllegalArgumentException for any other {@code until} (upstream: {@code ValueError})
     */
    public static List<String> stopSequences(Object until, String eos) {
        List<String> stops = new ArrayList<>();
        if (until instanceof String s) {
            stops.add(s);
        } else if (until instanceof List<?> list) {
            for (Object stop : list) {
                if (!(stop instanceof String s)) {
                    throw new IllegalArgumentException("until must hold strings, got " + until);
                }
                stops.add(s);
            }
        } else if (until != null) {
            throw new IllegalArgumentException(
                    "Expected `kwargs['until']` to be of type Union[str,list] but got " + until);
        }
        if (eos != null && !stops.contains(eos)) {
            stops.add(eos);
        }
        return List.copyOf(stops);
    }

    /**
     * The stop-string cut: for each stop string in order, {@code text = text.split(stop)[0]}, so the text ends
     * before the earliest occurrence of any of them. Empty stop strings are skipped, as upstream does.
     */
    public static String cutAtStopSequences(String generation, List<String> stops) {
        String text = generation;
        for (String stop : stops) {
            if (!stop.isEmpty()) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                    text = text.substring(0, at);
                }
            }
        }
        return text;
    }

    /**
     * {@code postprocess_generated_text(generation, stop, think_end_token)}: with a think-end token, only the text
     * after its last occurrence, {@code lstrip()}ped (Python whitespace), is kept; then the stop-string cut.
     *
     * @param thinkEndToken {@code null} or empty for none
     */
    public static String postprocess(String generation, List<String> stops, String thinkEndToken) {
        String text = generation;
        if (thinkEndToken != null && !thinkEndToken.isEmpty()) {
            int at = text.lastIndexOf(thinkEndToken);
            if (at >= 0) {
                text = text.substring(at + thinkEndToken.length());
            }
            text = PyStrings.lstrip(text);
        }
        return cutAtStopSequences(text, stops);
    }
}
