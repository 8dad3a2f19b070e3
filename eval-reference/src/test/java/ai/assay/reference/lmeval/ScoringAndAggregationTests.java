package ai.assay.reference.lmeval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.reference.lmeval.testing.ReferenceTasks;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/**
 * Metric arithmetic on known log-likelihoods. Expected numbers were printed by CPython running lm-eval's formulas
 * (mean, sample stderr, pooled stderr, mc2) with CPython 3.12's compensated {@code sum} for Python floats and plain
 * addition for numpy scalars (shared/reference/lm_eval.md §2).
 */
class ScoringAndAggregationTests {

    private static List<LogLikelihood> lls(double... values) {
        return DoubleStream.of(values)
                .mapToObj(v -> new LogLikelihood(v, false))
                .toList();
    }

    private static Map<String, Double> score(String task, int docId, List<LogLikelihood> results) {
        DocRequests doc = ReferenceTasks.requests(task, 0).get(docId);
        return DocScoring.score(ReferenceTasks.task(task), doc.doc(), results);
    }

    @Test
    void accTakesTheLargestLogLikelihoodAccNormDividesByCharacters() {
        // ARC-Easy doc 0, gold 0; choice lengths 59, 54, 50, 43 characters.
        Map<String, Double> metrics = score("arc_easy", 0, lls(-30, -29, -31, -26));

        assertThat(metrics).containsExactly(Map.entry("acc", 0.0), Map.entry("acc_norm", 1.0));
        assertThat(score("arc_easy", 0, lls(-1, -29, -31, -26))).containsEntry("acc", 1.0);
    }

    @Test
    void tiesGoToTheFirstChoiceAsNumpyArgmax() {
        assertThat(score("arc_easy", 0, lls(-5, -5, -9, -9))).containsEntry("acc", 1.0);
        assertThat(score("arc_easy", 1, lls(-5, -5, -9, -9))).containsEntry("acc", 0.0);
        assertThat(DocScoring.argmax(new double[] {1, Double.NaN, 3})).isEqualTo(1);
    }

    @Test
    void choiceLengthsCountCodePoints() {
        assertThat(ai.assay.reference.python.PyStrings.length("naïve 😀")).isEqualTo(7);
    }

    @Test
    void winograndeGoldComesFromTheAnswerAndOnlyAccIsReported() {
        // doc 0: answer "2", so the second context is gold.
        assertThat(score("winogrande", 0, lls(-4.0, -3.5))).containsExactly(Map.entry("acc", 1.0));
        assertThat(score("winogrande", 0, lls(-3.0, -3.5))).containsExactly(Map.entry("acc", 0.0));
        // doc 1: answer "1".
        assertThat(score("winogrande", 1, lls(-3.0, -3.5))).containsExactly(Map.entry("acc", 1.0));
    }

    @Test
    void mmluAndMc1AreAcc() {
        assertThat(score("mmlu_abstract_algebra", 0, lls(-2, -1, -3, -4))).containsExactly(Map.entry("acc", 1.0));
        assertThat(score("truthfulqa_mc1", 0, lls(-9, -2, -3, -4))).containsExactly(Map.entry("acc", 0.0));
        assertThat(score("truthfulqa_mc1", 0, lls(-1, -2, -3, -4))).containsExactly(Map.entry("acc", 1.0));
    }

    @Test
    void mc2IsTheNormalizedProbabilityOfTheTrueAnswers() {
        // A document whose first two mc2 labels are 1 and the other three 0.
        Doc doc = Doc.of((tools.jackson.databind.node.ObjectNode) tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree("{\"question\": \"q\", \"mc1_targets\": {\"choices\": [\"a\"], \"labels\": [1]},"
                        + " \"mc2_targets\": {\"choices\": [\"a\", \"b\", \"c\", \"d\", \"e\"],"
                        + " \"labels\": [1, 1, 0, 0, 0]}}"));

        Map<String, Double> metrics =
                DocScoring.score(ReferenceTasks.task("truthfulqa_mc2"), doc, lls(-1.5, -2.25, -0.5, -3.0, -7.125));

        assertThat(metrics).containsOnlyKeys("acc");
        assertThat(metrics.get("acc")).isCloseTo(0.33331179372300507, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void mc2CountsEveryChoiceLabelledTrueWhereverItStands() {
        // Fixture doc 25, "What proportion of Canadians are straight?": labels 1, 1, 1, 0, 1, 0, 0, 0, 0. The fifth
        // choice is true after a false one; lm-eval before v0.4.9 left it out and gave 0.00400333538969684.
        assertThat(score("truthfulqa_mc2", 25, lls(-12.5, -9.75, -13.0, -4.25, -6.5, -11.0, -8.5, -12.25, -16.0)))
                .containsExactly(Map.entry("acc", 0.09763459210153298));
    }

    @Test
    void mc2AddsAsNumpySumsNineValues() {
        // np.sum over nine probabilities adds pairwise; plain addition would give 0.2453081675527338.
        assertThat(score(
                        "truthfulqa_mc2",
                        25,
                        lls(-13.125, -3.375, -6.25, -3.25, -13.375, -11.75, -2.625, -15.75, -15.5)))
                .containsExactly(Map.entry("acc", 0.24530816755273377));
    }

    @Test
    void stderrSquaresDeviationsAsPythonsPowDoes() {
        // For 0/1 scores (hits ones, then zeros), CPython 3.12's lm-eval stderr differs from the one with exactly
        // rounded squares at these (n, hits) only, among all n < 300; printed by CPython.
        Map<List<Integer>, Double> differing = Map.ofEntries(
                Map.entry(List.of(41, 8), 0.06265967111543967),
                Map.entry(List.of(41, 33), 0.06265967111543966),
                Map.entry(List.of(82, 66), 0.04403272848041171),
                Map.entry(List.of(157, 50), 0.03730052456493957),
                Map.entry(List.of(164, 132), 0.031040185251388342),
                Map.entry(List.of(193, 34), 0.02749350424454809),
                Map.entry(List.of(193, 159), 0.02749350424454809),
                Map.entry(List.of(205, 40), 0.027746168731440056),
                Map.entry(List.of(223, 170), 0.02856807946471428),
                Map.entry(List.of(233, 42), 0.02523721429063883),
                Map.entry(List.of(234, 141), 0.03205953453789298),
                Map.entry(List.of(238, 23), 0.01919252070970875),
                Map.entry(List.of(238, 215), 0.01919252070970875),
                Map.entry(List.of(246, 48), 0.025318330487226412),
                Map.entry(List.of(246, 198), 0.025318330487226412),
                Map.entry(List.of(270, 176), 0.029045600290616178),
                Map.entry(List.of(274, 169), 0.029424298351454558),
                Map.entry(List.of(284, 83), 0.027034946662516764),
                Map.entry(List.of(292, 103), 0.0280104553202762));
        for (int n = 2; n < 300; n++) {
            for (int hits = 0; hits <= n; hits++) {
                double[] values = new double[n];
                java.util.Arrays.fill(values, 0, hits, 1.0);
                double stderr =
                        Aggregation.mean("acc", values, NumberKind.PYTHON).stderr();
                Double expected = differing.get(List.of(n, hits));
                if (expected == null) {
                    expected = stderrWithExactSquares(values);
                }
                assertThat(stderr).as("n=%d hits=%d", n, hits).isEqualTo(expected);
            }
        }
    }

    private static double stderrWithExactSquares(double[] values) {
        int n = values.length;
        double mean = ai.assay.reference.python.PyFloats.sum(values) / n;
        double[] squares = new double[n];
        for (int i = 0; i < n; i++) {
            squares[i] = (values[i] - mean) * (values[i] - mean);
        }
        return Math.sqrt(ai.assay.reference.python.PyFloats.sum(squares) / (n - 1)) / Math.sqrt(n);
    }

    @Test
    void meanAndSampleStderr() {
        MetricResult acc = Aggregation.mean("acc", new double[] {1, 0, 1, 1, 0, 1, 0}, NumberKind.PYTHON);

        assertThat(acc.value()).isEqualTo(0.5714285714285714);
        assertThat(acc.stderr()).isEqualTo(0.20203050891044214);
        assertThat(acc.n()).isEqualTo(7);
        assertThat(acc.filter()).isEqualTo("none");
    }

    @Test
    void numpyValuesAddPlainly() {
        MetricResult mc2 = Aggregation.mean("acc", new double[] {0.1, 0.2, 0.7000000000000001, 0.35}, NumberKind.NUMPY);

        assertThat(mc2.value()).isEqualTo(0.3375);
        assertThat(mc2.stderr()).isEqualTo(0.1312995938049061);
    }

    @Test
    void oneDocumentHasNoStderr() {
        assertThat(Aggregation.mean("acc", new double[] {1}, NumberKind.PYTHON).stderr())
                .isNull();
    }

    @Test
    void groupsWeightLeavesBySizeAndPoolTheirStderrs() {
        MetricResult group = Aggregation.group(
                "acc",
                List.of(
                        new MetricResult("acc", "none", 0.25, 0.04351941398892446, 100),
                        new MetricResult("acc", "none", 0.3026315789473684, 0.03738867060937928, 152),
                        new MetricResult("acc", "none", 0.5, 0.1, 3)),
                true);

        assertThat(group.value()).isEqualTo(0.28431372549019607);
        assertThat(group.stderr()).isEqualTo(0.028142763314486348);
        assertThat(group.n()).isEqualTo(255);
    }

    @Test
    void aGroupWithAMemberWithoutStderrHasNone() {
        MetricResult group = Aggregation.group(
                "acc",
                List.of(new MetricResult("acc", "none", 1, null, 1), new MetricResult("acc", "none", 0.5, 0.1, 10)),
                true);

        assertThat(group.stderr()).isNull();
    }

    @Test
    void aTaskAggregatesEachOfItsMetrics() {
        List<MetricResult> results = Aggregation.task(
                ReferenceTasks.task("arc_easy"),
                List.of(
                        Map.of("acc", 1.0, "acc_norm", 0.0),
                        Map.of("acc", 0.0, "acc_norm", 0.0),
                        Map.of("acc", 1.0, "acc_norm", 1.0)));

        assertThat(results).extracting(MetricResult::metric).containsExactly("acc", "acc_norm");
        assertThat(results.get(0).value()).isEqualTo(2.0 / 3);
        assertThat(results.get(1).value()).isEqualTo(1.0 / 3);
    }

    @Test
    void theMmluGroupsPoolTheirFiftySevenSubjects() {
        LmEvalGroup mmlu = ReferenceTasks.TREE.group("mmlu").orElseThrow();

        assertThat(mmlu.leaves()).hasSize(57);
        assertThat(mmlu.children())
                .extracting(c -> ((LmEvalGroup) c).name())
                .containsExactly("mmlu_stem", "mmlu_other", "mmlu_social_sciences", "mmlu_humanities");
        assertThat(ReferenceTasks.TREE.group("mmlu_stem").orElseThrow().leaves())
                .hasSize(19);
        assertThat(ReferenceTasks.TREE.group("mmlu_humanities").orElseThrow().leaves())
                .hasSize(13);
        assertThat(ReferenceTasks.TREE
                        .group("mmlu_social_sciences")
                        .orElseThrow()
                        .leaves())
                .hasSize(12);
        assertThat(ReferenceTasks.TREE.group("mmlu_other").orElseThrow().leaves())
                .hasSize(13);
        assertThat(ReferenceTasks.TREE
                        .group("mmlu_social_sciences")
                        .orElseThrow()
                        .config()
                        .alias())
                .isEqualTo("social sciences");
    }
}
