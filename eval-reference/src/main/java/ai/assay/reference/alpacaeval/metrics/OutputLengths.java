package ai.assay.reference.alpacaeval.metrics;

import java.util.List;

/**
 * Output lengths as AlpacaEval measures them: Python's {@code len(str)}, i.e. Unicode code points. Java's
 * {@link String#length()} counts UTF-16 units and overcounts every character outside the BMP (emoji), which the
 * AlpacaEval outputs contain.
 */
public final class OutputLengths {

    private OutputLengths() {}

    public static int length(String output) {
        return output.codePointCount(0, output.length());
    }

    /**
     * {@code avg_length}: {@code int(mean(len(output)))} over the model's outputs, truncated like Python's
     * {@code int}. Upstream takes the outputs passed to {@code evaluate} before they are joined to the baseline; pass
     * those when they differ from the annotated ones.
     *
     * @throws IllegalArgumentException if there are no outputs (upstream's mean would be NaN and {@code int} fails)
     */
    public static int averageLength(List<String> outputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("the average length of no outputs is undefined");
        }
        long total = 0;
        for (String output : outputs) {
            total += length(output);
        }
        return (int) ((double) total / outputs.size());
    }
}
