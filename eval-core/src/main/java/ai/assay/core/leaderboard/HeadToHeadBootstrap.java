package ai.assay.core.leaderboard;

import ai.assay.reference.alpacaeval.metrics.LengthControlInput;
import ai.assay.reference.alpacaeval.metrics.LengthControlledResult;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import ai.assay.reference.statistics.BootstrapScheme;
import java.util.Arrays;

/**
 * Bootstrap replicates of a judged task's win rate (WR) and length-controlled win rate (LCWR) on resamples of its
 * examples. WR of a resample is 100 times the mean of preference - 1 over its rows with a preference; LCWR refits
 * AlpacaEval's length-control GLM on the resampled rows (each keeping its own difficulty) at the C that the
 * full-data cross-validation chose, and averages the length-free predictions as AlpacaEval does. A resample where
 * the fit is undefined (e.g. all length differences equal) gives NaN and is left out of the tests.
 */
public final class HeadToHeadBootstrap {

    private final BootstrapScheme scheme;

    public HeadToHeadBootstrap(BootstrapScheme scheme) {
        this.scheme = scheme;
    }

    public BootstrapScheme scheme() {
        return scheme;
    }

    /** @param model the length-control fit, or null when it is unavailable ({@code reason} says why) */
    public HeadToHeadReplicates replicates(JudgedExamples examples, LengthControlledWinRate model, String reason) {
        return replicates(examples, model, reason, null);
    }

    /**
     * @param fixedC the C to refit at; null to choose it by cross-validation on these examples first
     */
    public HeadToHeadReplicates replicates(
            JudgedExamples examples, LengthControlledWinRate model, String reason, Double fixedC) {
        int n = examples.size();
        int resamples = scheme.resamples();
        float[] winRate = winRateReplicates(examples);
        int[] rows = new int[n];
        if (examples.baselineIsModel()) {
            float[] fifty = new float[resamples];
            Arrays.fill(fifty, 50f);
            return new HeadToHeadReplicates(scheme, winRate, fifty, null, null, null);
        }
        if (model == null) {
            return new HeadToHeadReplicates(scheme, winRate, null, null, null, reason);
        }
        if (examples.difficulties() == null) {
            return new HeadToHeadReplicates(
                    scheme,
                    winRate,
                    null,
                    null,
                    null,
                    "the examples have no instruction difficulties, so the length-controlled fit cannot be refitted");
        }
        LengthControlledResult full;
        try {
            full = fixedC == null ? model.compute(input(examples)) : model.computeAtC(input(examples), fixedC);
        } catch (IllegalArgumentException e) {
            return new HeadToHeadReplicates(
                    scheme,
                    winRate,
                    null,
                    null,
                    null,
                    "the length-controlled fit is undefined on these examples: " + e.getMessage());
        }
        double c = fixedC != null ? fixedC : full.c();
        float[] lengthControlled = new float[resamples];
        double[] p = new double[n];
        int[] baseline = new int[n];
        int[] modelLengths = new int[n];
        double[] difficulty = new double[n];
        for (int b = 0; b < resamples; b++) {
            scheme.draw(b, n, rows);
            for (int i = 0; i < n; i++) {
                int r = rows[i];
                p[i] = examples.preferences()[r];
                baseline[i] = examples.baselineLengths()[r];
                modelLengths[i] = examples.modelLengths()[r];
                difficulty[i] = examples.difficulties()[r];
            }
            try {
                lengthControlled[b] =
                        (float) model.computeAtC(new LengthControlInput(p, baseline, modelLengths, difficulty), c)
                                .winRate();
            } catch (IllegalArgumentException e) {
                lengthControlled[b] = Float.NaN;
            }
        }
        return new HeadToHeadReplicates(scheme, winRate, lengthControlled, c, full.weights(), null);
    }

    /** The win rate of each resample. */
    public float[] winRateReplicates(JudgedExamples examples) {
        int n = examples.size();
        float[] winRate = new float[scheme.resamples()];
        int[] rows = new int[n];
        for (int b = 0; b < winRate.length; b++) {
            scheme.draw(b, n, rows);
            winRate[b] = (float) winRate(examples.preferences(), rows);
        }
        return winRate;
    }

    /** AlpacaEval's length-controlled win rate of these rows (cross-validated C), or NaN when it is undefined. */
    public static double lengthControlledWinRate(JudgedExamples examples, LengthControlledWinRate model) {
        if (examples.baselineIsModel()) {
            return 50;
        }
        try {
            return model.compute(input(examples)).winRate();
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
    }

    /** 100 times the mean of preference - 1 over the rows with a preference. */
    public static double winRate(double[] preferences) {
        double sum = 0;
        int kept = 0;
        for (double preference : preferences) {
            double share = JudgedExamples.winShare(preference);
            if (!Double.isNaN(share)) {
                sum += share;
                kept++;
            }
        }
        return kept == 0 ? Double.NaN : 100 * sum / kept;
    }

    private static double winRate(double[] preferences, int[] rows) {
        double sum = 0;
        int kept = 0;
        for (int r : rows) {
            double share = JudgedExamples.winShare(preferences[r]);
            if (!Double.isNaN(share)) {
                sum += share;
                kept++;
            }
        }
        return kept == 0 ? Double.NaN : 100 * sum / kept;
    }

    private static LengthControlInput input(JudgedExamples examples) {
        return new LengthControlInput(
                examples.preferences(), examples.baselineLengths(), examples.modelLengths(), examples.difficulties());
    }
}
