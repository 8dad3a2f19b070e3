package ai.assay.reference.alpacaeval.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The rows of {@code df_gamed.csv}: AlpacaEval's judge annotations of the baseline against its own verbose and concise
 * variants. They enter every length-controlled fit as extra training rows (regularising the length and difficulty
 * slopes toward what the baseline-against-itself data imply), and their {@code instruction_difficulty} column is where
 * the fit reads each annotation row's difficulty from.
 *
 * <p>Arrays are in file order and are not copied; treat them as read-only.
 *
 * @param preference P(the gamed variant beats the baseline), already on the [0, 1] scale; NaN where the file has none
 * @param index the eval-set instruction index of each row
 * @param stdDeltaLength the standardised length difference (baseline minus gamed variant)
 * @param instructionDifficulty the difficulty of each row's instruction
 * @param notGamedBaseline the {@code not_gamed_baseline} column ({@code False} in the published file)
 */
public record GamedBaselineRows(
        double[] preference,
        int[] index,
        double[] stdDeltaLength,
        double[] instructionDifficulty,
        boolean[] notGamedBaseline) {

    public GamedBaselineRows {
        int n = preference.length;
        if (index.length != n
                || stdDeltaLength.length != n
                || instructionDifficulty.length != n
                || notGamedBaseline.length != n) {
            throw new IllegalArgumentException("all columns of the gamed-baseline rows must have the same length");
        }
    }

    public int size() {
        return preference.length;
    }

    /**
     * The difficulty AlpacaEval assigns to annotation row {@code position} (0-based position in the annotations).
     * Upstream keeps the first row of each distinct {@code index} value, leaves that row labelled by its row number in
     * this file, and looks the label up with the annotation row's position. So row i of an annotations file gets the
     * difficulty stored in row i of this file when that row is the first one with its {@code index}, whatever
     * instruction the annotation row holds; a position whose row is a repeat has no value (upstream fails with a
     * KeyError). With the published file, positions 0..804 map to instructions 0..804.
     *
     * @return the difficulties for positions 0..n-1
     * @throws IllegalArgumentException if a position has no value
     */
    public double[] difficultiesByPosition(int n) {
        double[] byPosition = new double[n];
        boolean[] firstOccurrence = firstOccurrenceOfIndex();
        for (int i = 0; i < n; i++) {
            if (i >= size() || !firstOccurrence[i]) {
                throw new IllegalArgumentException("AlpacaEval's positional difficulty lookup has no value for row " + i
                        + " (the gamed-baseline file has " + distinctIndexCount() + " distinct instructions)");
            }
            byPosition[i] = instructionDifficulty[i];
        }
        return byPosition;
    }

    private boolean[] firstOccurrenceOfIndex() {
        boolean[] first = new boolean[size()];
        Set<Integer> seen = new HashSet<>();
        for (int row = 0; row < size(); row++) {
            first[row] = seen.add(index[row]);
        }
        return first;
    }

    private int distinctIndexCount() {
        return (int) Arrays.stream(index).distinct().count();
    }
}
