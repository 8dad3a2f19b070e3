package ai.assay.reference.alpacaeval.judging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * How AlpacaEval's annotator treats parser output: a completion whose parser fails, or returns a different number of
 * values than examples in the prompt, gives every example of that prompt no annotation.
 */
public final class CompletionParsing {

    private CompletionParsing() {}

    /**
     * @param parse runs the parser on one completion (it may throw)
     * @param batchSize examples in the prompt
     * @return one preference per example; null where there is none
     */
    public static List<Double> orMissing(Supplier<? extends List<? extends Number>> parse, int batchSize) {
        List<? extends Number> values;
        try {
            values = parse.get();
        } catch (RuntimeException e) {
            return Collections.nCopies(batchSize, null);
        }
        if (values == null || values.size() != batchSize) {
            return Collections.nCopies(batchSize, null);
        }
        List<Double> preferences = new ArrayList<>(batchSize);
        for (Number value : values) {
            double v = value == null ? Double.NaN : value.doubleValue();
            preferences.add(Double.isNaN(v) ? null : v);
        }
        return preferences;
    }
}
