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
