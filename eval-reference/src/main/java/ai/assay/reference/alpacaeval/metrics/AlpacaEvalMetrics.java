package ai.assay.reference.alpacaeval.metrics;

import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code alpaca_eval} reports for one model's annotations against the baseline, computed as upstream does
 * it, including its positional difficulty lookup (row i of the annotations gets the difficulty of eval instruction i).
 */
public final class AlpacaEvalMetrics {

    private final LengthControlledWinRate lengthControlled;

    public AlpacaEvalMetrics(LengthControlledWinRate lengthControlled) {
        this.lengthControlled = lengthControlled;
    }

    /** {@code avg_length} from the annotated model outputs (output_2). */
    public AlpacaEvalScores score(List<HeadToHeadAnnotation> annotations) {
        return score(
                annotations,
                annotations.stream().map(HeadToHeadAnnotation::output2).toList());
    }

    /**
     * @param modelOutputs the outputs the model was evaluated with, before they were joined to the baseline's (what
     *     upstream averages for {@code avg_length})
     * @throws IllegalArgumentException for no annotations or outputs, annotations of several models, more rows than
     *     the positional difficulty lookup covers, or preferences outside AlpacaEval's encoding
     */
    public AlpacaEvalScores score(List<HeadToHeadAnnotation> annotations, List<String> modelOutputs) {
        int n = annotations.size();
        double[] preferences = new double[n];
        int[] baselineLengths = new int[n];
        int[] modelLengths = new int[n];
        for (int i = 0; i < n; i++) {
            HeadToHeadAnnotation annotation = annotations.get(i);
            Double preference = annotation.preference();
            preferences[i] = preference == null ? Double.NaN : preference;
            baselineLengths[i] = OutputLengths.length(annotation.output1());
            modelLengths[i] = OutputLengths.length(annotation.output2());
        }
        WinRate winRate = WinRateCalculator.compute(preferences);
        LengthControlledResult lc;
        if (isBaselineAgainstItself(annotations)) {
            lc = LengthControlledWinRate.baselineAgainstItself();
        } else {
            double[] difficulties = lengthControlled.gamedBaseline().difficultiesByPosition(n);
            lc = lengthControlled.compute(
                    new LengthControlInput(preferences, baselineLengths, modelLengths, difficulties));
        }
        return new AlpacaEvalScores(winRate, OutputLengths.averageLength(modelOutputs), lc);
    }

    /**
     * Upstream requires a single generator_2 and compares it with the first generator_1; when they are equal it skips
     * the fit (LC 50, LC SE 0, weights 0).
     */
    static boolean isBaselineAgainstItself(List<HeadToHeadAnnotation> annotations) {
        if (annotations.isEmpty()) {
            return false;
        }
        String model = annotations.get(0).generator2();
        for (HeadToHeadAnnotation annotation : annotations) {
            if (!Objects.equals(annotation.generator2(), model)) {
                throw new IllegalArgumentException(
                        "the annotations mix evaluated models: " + model + " and " + annotation.generator2());
            }
        }
        return model != null && model.equals(annotations.get(0).generator1());
    }
}
