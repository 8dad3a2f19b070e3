package ai.assay.reference.alpacaeval.judging;

import ai.assay.reference.python.PyRandom;
import java.util.List;

/**
 * AlpacaEval's output-order randomisation ({@code RandomSwitchTwoColumnsProcessor} as the pairwise annotator sets it
 * up): each example is shown to the judge with the baseline's and the model's outputs swapped or not, decided by
 * CPython's {@code random.Random("is_switched_outputs" + instruction + str(seed)).choices([False, True])[0]}. The
 * annotator pool passes its seed, 0 by default. A preference parsed in shown order is mapped back with 3 - x.
 */
public final class OutputOrder {

    /** The seed AlpacaEval's annotator pool passes to its annotators unless configured otherwise. */
    public static final long DEFAULT_SEED = 0;

    private static final String SWITCH_COLUMN = "is_switched_outputs";
    private static final List<Boolean> CHOICES = List.of(false, true);

    private OutputOrder() {}

    /** With the default seed 0. */
    public static boolean isSwitched(String instruction) {
        return isSwitched(instruction, DEFAULT_SEED);
    }

    /**
     * @param seedText the instruction, verbatim (with several {@code random_seed_column}s: their values concatenated
     *     in column-name order, as upstream joins them)
     */
    public static boolean isSwitched(String seedText, long seed) {
        return new PyRandom(SWITCH_COLUMN + seedText + seed).choice(CHOICES);
    }

    /** A preference parsed in the order shown to the judge, in the original order (baseline = output_1). */
    public static Double toOriginalOrder(Double shownPreference, boolean switched) {
        if (shownPreference == null || !switched) {
            return shownPreference;
        }
        return 3 - shownPreference;
    }
}
