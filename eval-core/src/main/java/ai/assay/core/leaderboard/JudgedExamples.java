package ai.assay.core.leaderboard;

import java.util.HashMap;
import java.util.Map;

/**
 * The per-example data of one judged task (one model against the reference, one annotator), in canonical example
 * order. Arrays are not copied.
 *
 * @param keys example ids
 * @param preferences AlpacaEval preferences (1 = reference better, 2 = model better), NaN where the judge gave none
 * @param baselineLengths reference output lengths in code points
 * @param modelLengths model output lengths in code points
 * @param difficulties the instruction difficulty each example had in the full-data fit, or null without
 *     length-control data
 * @param referenceHashes a 64-bit hash of each reference output (equal texts, equal hashes)
 * @param baselineIsModel whether the evaluated model is the reference itself (AlpacaEval then reports LC 50)
 */
public record JudgedExamples(
        String[] keys,
        double[] preferences,
        int[] baselineLengths,
        int[] modelLengths,
        double[] difficulties,
        long[] referenceHashes,
        boolean baselineIsModel) {

    public int size() {
        return keys.length;
    }

    public String setHash() {
        return ExampleKeys.setHash(keys);
    }

    public Map<String, Integer> positions() {
        Map<String, Integer> positions = new HashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
            positions.put(keys[i], i);
        }
        return positions;
    }

    /** The rows at the given positions, in that order. */
    public JudgedExamples select(int[] rows) {
        int n = rows.length;
        String[] k = new String[n];
        double[] p = new double[n];
        int[] bl = new int[n];
        int[] ml = new int[n];
        double[] d = difficulties == null ? null : new double[n];
        long[] h = new long[n];
        for (int i = 0; i < n; i++) {
            int r = rows[i];
            k[i] = keys[r];
            p[i] = preferences[r];
            bl[i] = baselineLengths[r];
            ml[i] = modelLengths[r];
            if (d != null) {
                d[i] = difficulties[r];
            }
            h[i] = referenceHashes[r];
        }
        return new JudgedExamples(k, p, bl, ml, d, h, baselineIsModel);
    }

    /** {@code preference - 1} on AlpacaEval's scale (0 read as a tie), NaN where the row counts in no win rate. */
    public static double winShare(double preference) {
        double p = preference == 0.0 ? 1.5 : preference;
        return p >= 1 && p <= 2 ? p - 1 : Double.NaN;
    }
}
