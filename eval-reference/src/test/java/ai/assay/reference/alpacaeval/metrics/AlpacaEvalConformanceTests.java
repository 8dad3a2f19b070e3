package ai.assay.reference.alpacaeval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.alpacaeval.data.GamedBaselineRows;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every model of the AlpacaEval 2 fixture against {@code expected.json} (upstream's numbers on the same inputs), with
 * the tolerances of the fixture README: win-rate figures to 1e-9, counts exactly, LC at upstream's C to 0.02 (LC SE
 * 0.001, weights 0.005: liblinear stops at tol 1e-4, this solver at the exact minimiser), LC of the full
 * cross-validated procedure to 0.2, and the exact L1 minimiser at a given C to 1e-8 of the fixture's exact solver.
 */
class AlpacaEvalConformanceTests {

    private static final GamedBaselineRows GAMED =
            AlpacaEvalFixtures.lengthControlData().gamedBaseline();

    static Stream<String> models() {
        return AlpacaEvalFixtures.MODELS.stream();
    }

    static Stream<String> fittedModels() {
        return models().filter(model -> !model.equals("gpt4_1106_preview"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void winRateFiguresEqualUpstreams(String model) {
        JsonNode expected = computed(model);
        AlpacaEvalScores scores =
                new AlpacaEvalMetrics(new LengthControlledWinRate(GAMED)).score(AlpacaEvalFixtures.annotations(model));

        WinRate winRate = scores.winRate();
        assertThat(winRate.winRate()).isCloseTo(expected.get("win_rate").doubleValue(), within(1e-9));
        assertThat(winRate.standardError())
                .isCloseTo(expected.get("standard_error").doubleValue(), within(1e-9));
        assertThat(winRate.discreteWinRate())
                .isCloseTo(expected.get("discrete_win_rate").doubleValue(), within(1e-9));
        assertThat(winRate.nWins()).isEqualTo(expected.get("n_wins").intValue());
        assertThat(winRate.nWinsBase()).isEqualTo(expected.get("n_wins_base").intValue());
        assertThat(winRate.nDraws()).isEqualTo(expected.get("n_draws").intValue());
        assertThat(winRate.nTotal()).isEqualTo(expected.get("n_total").intValue());
        assertThat(scores.averageLength()).isEqualTo(expected.get("avg_length").intValue());
    }

    @Test
    void theBaselineAgainstItselfIsFiftyWithoutAFit() {
        AlpacaEvalScores scores = new AlpacaEvalMetrics(new LengthControlledWinRate(GAMED))
                .score(AlpacaEvalFixtures.annotations("gpt4_1106_preview"));

        LengthControlledResult lc = scores.lengthControlled();
        assertThat(lc.winRate()).isEqualTo(50.0);
        assertThat(lc.standardError()).isEqualTo(0.0);
        assertThat(lc.weights()).isEqualTo(GlmWeights.ZERO);
        assertThat(lc.c()).isNull();
        assertThat(computed("gpt4_1106_preview")
                        .get("length_controlled_winrate")
                        .doubleValue())
                .isEqualTo(50.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fittedModels")
    void lengthControlledFitAtUpstreamsCMatchesLiblinearAndTheExactMinimiser(String model) {
        JsonNode expected = computed(model);
        double c = expected.get("C").doubleValue();

        LengthControlledResult lc = new LengthControlledWinRate(GAMED).computeAtC(input(model), c);

        assertThat(lc.winRate())
                .isCloseTo(expected.get("length_controlled_winrate").doubleValue(), within(0.02));
        assertThat(lc.standardError())
                .isCloseTo(expected.get("lc_standard_error").doubleValue(), within(0.001));
        assertWeightsClose(lc.weights(), expected.get("weights"), 0.005);

        JsonNode exact = lcByC(model, c);
        assertThat(lc.winRate()).isCloseTo(exact.get("lc_exact").doubleValue(), within(1e-8));
        assertWeightsClose(lc.weights(), exact.get("weights_exact"), 1e-8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fittedModels")
    void crossValidationWithUpstreamsFoldsReproducesTheExactSolversCurve(String model) {
        JsonNode exactCv = diagnostics(model).get("cv_with_exact_solver");
        LengthControlledWinRate withRecordedFolds =
                new LengthControlledWinRate(GAMED, FoldAssignment.fixed(recordedFolds(model)));

        LengthControlledResult lc = withRecordedFolds.compute(input(model));

        JsonNode meanScores = exactCv.get("mean_score_per_C");
        for (int i = 0; i < LengthControlledWinRate.CS.size(); i++) {
            assertThat(lc.cvMeanScorePerC().get(i))
                    .as("CV score at C=%s", LengthControlledWinRate.CS.get(i))
                    .isCloseTo(meanScores.get(i).doubleValue(), within(1e-9));
        }
        assertThat(lc.c()).isEqualTo(exactCv.get("chosen_C").doubleValue());
        assertThat(lc.winRate())
                .isCloseTo(exactCv.get("length_controlled_winrate").doubleValue(), within(1e-8));
        assertThat(lc.winRate())
                .isCloseTo(computed(model).get("length_controlled_winrate").doubleValue(), within(0.2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fittedModels")
    void theFullProcedureWithTheDefaultFoldsStaysWithinTheReadmeBounds(String model) {
        AlpacaEvalScores scores =
                new AlpacaEvalMetrics(new LengthControlledWinRate(GAMED)).score(AlpacaEvalFixtures.annotations(model));

        LengthControlledResult lc = scores.lengthControlled();
        assertThat(LengthControlledWinRate.CS).contains(lc.c());
        JsonNode atChosenC = lcByC(model, lc.c());
        assertThat(lc.winRate()).isCloseTo(atChosenC.get("lc_liblinear_tol_1e4").doubleValue(), within(0.02));
        assertThat(lc.winRate()).isCloseTo(atChosenC.get("lc_exact").doubleValue(), within(1e-8));
        assertThat(lc.winRate())
                .isCloseTo(computed(model).get("length_controlled_winrate").doubleValue(), within(0.2));
        assertThat(lc.standardError())
                .isCloseTo(computed(model).get("lc_standard_error").doubleValue(), within(0.01));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fittedModels")
    void unpenalisedFitEqualsThePlainMaximumLikelihoodEstimate(String model) {
        JsonNode mle = diagnostics(model).get("unpenalised_mle");

        LengthControlledResult lc = new LengthControlledWinRate(GAMED).computeUnpenalised(input(model));

        assertThat(lc.winRate()).isCloseTo(mle.get("length_controlled_winrate").doubleValue(), within(1e-6));
        assertWeightsClose(lc.weights(), mle.get("weights"), 1e-6);
        assertThat(lc.c()).isNull();
    }

    @Test
    void difficultyIsLookedUpByRowPositionAsUpstreamDoes() {
        String model = "text_davinci_001";
        assertThat(AlpacaEvalFixtures.annotations(model)).hasSize(803);
        LengthControlledWinRate withRecordedFolds =
                new LengthControlledWinRate(GAMED, FoldAssignment.fixed(recordedFolds(model)));

        double positional = withRecordedFolds.compute(input(model)).winRate();

        assertThat(positional).isCloseTo(9.53, within(0.05));
        LengthControlInput aligned = withDifficulties(input(model), difficultyByInstruction(model));
        double byInstruction = withRecordedFolds.compute(aligned).winRate();
        assertThat(byInstruction)
                .isCloseTo(
                        diagnostics(model)
                                .get("lc_if_difficulty_aligned_by_instruction")
                                .doubleValue(),
                        within(0.2));
        assertThat(byInstruction).isCloseTo(6.60, within(0.2));
    }

    @Test
    void repeatedFitsAreBitForBitIdentical() {
        LengthControlledWinRate lc = new LengthControlledWinRate(GAMED);
        LengthControlInput input = input("NullModel");

        LengthControlledResult first = lc.compute(input);
        LengthControlledResult second = lc.compute(input);

        assertThat(second).isEqualTo(first);
    }

    static LengthControlInput input(String model) {
        List<HeadToHeadAnnotation> annotations = AlpacaEvalFixtures.annotations(model);
        int n = annotations.size();
        double[] preferences = new double[n];
        int[] baselineLengths = new int[n];
        int[] modelLengths = new int[n];
        for (int i = 0; i < n; i++) {
            HeadToHeadAnnotation annotation = annotations.get(i);
            preferences[i] = annotation.preference() == null ? Double.NaN : annotation.preference();
            baselineLengths[i] = OutputLengths.length(annotation.output1());
            modelLengths[i] = OutputLengths.length(annotation.output2());
        }
        return new LengthControlInput(preferences, baselineLengths, modelLengths, GAMED.difficultiesByPosition(n));
    }

    private static LengthControlInput withDifficulties(LengthControlInput input, double[] difficulties) {
        return new LengthControlInput(input.preferences(), input.baselineLengths(), input.modelLengths(), difficulties);
    }

    /** Each row's own instruction's difficulty, found through the eval-set order of the baseline's file. */
    private static double[] difficultyByInstruction(String model) {
        List<String> evalOrder = AlpacaEvalFixtures.annotations("gpt4_1106_preview").stream()
                .map(HeadToHeadAnnotation::instruction)
                .toList();
        double[] difficulty =
                AlpacaEvalFixtures.lengthControlData().instructionDifficulty().values();
        return AlpacaEvalFixtures.annotations(model).stream()
                .mapToDouble(annotation -> difficulty[evalOrder.indexOf(annotation.instruction())])
                .toArray();
    }

    private static int[] recordedFolds(String model) {
        String key = diagnostics(model).get("cv_fold_assignment").asString();
        JsonNode folds =
                AlpacaEvalFixtures.expected().get("cv_fold_assignments").get(key);
        int[] result = new int[folds.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = folds.get(i).intValue();
        }
        return result;
    }

    private static JsonNode lcByC(String model, double c) {
        for (JsonNode entry : diagnostics(model).get("lc_by_C")) {
            if (Math.abs(entry.get("C").doubleValue() - c) <= 1e-12 * c) {
                return entry;
            }
        }
        throw new AssertionError("no lc_by_C entry for C=" + c);
    }

    private static void assertWeightsClose(GlmWeights actual, JsonNode expected, double tolerance) {
        double[] values = expected.isArray()
                ? new double[] {
                    expected.get(0).doubleValue(),
                    expected.get(1).doubleValue(),
                    expected.get(2).doubleValue()
                }
                : new double[] {
                    expected.get("theta_len").doubleValue(),
                    expected.get("gamma").doubleValue(),
                    expected.get("theta_m").doubleValue()
                };
        assertThat(actual.thetaLength()).as("theta_len").isCloseTo(values[0], within(tolerance));
        assertThat(actual.gamma()).as("gamma").isCloseTo(values[1], within(tolerance));
        assertThat(actual.thetaModel()).as("theta_m").isCloseTo(values[2], within(tolerance));
    }

    private static JsonNode computed(String model) {
        return AlpacaEvalFixtures.expectedFor(model).get("computed");
    }

    private static JsonNode diagnostics(String model) {
        return AlpacaEvalFixtures.expectedFor(model).get("diagnostics");
    }
}
