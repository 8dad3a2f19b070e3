package ai.assay.reference.lmeval.ifeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.MetricResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** lm-eval's IFEval {@code utils.py}: strict and loose following, {@code process_results} and the aggregation. */
class IfEvalScoringTests {

    private final IfEvalScoring scoring = IfEvalScoring.standard();

    @Test
    void aPreambleLineFailsStrictJsonButPassesLoose() {
        IfEvalScore score = scoring.score(IfEvalRows.json(1075), "Here is the JSON you asked for:\n{\"a\": 1}");
        assertThat(score.instructionsStrict()).containsExactly(false);
        assertThat(score.instructionsLoose()).containsExactly(true);
    }

    @Test
    void aClosingRemarkFailsStrictEndPhraseButPassesLooseWithoutTheLastLine() {
        IfEvalScore score = scoring.score(
                IfEvalRows.json(1128), "Here you go. Is there anything else I can help with?\nCheers, the bot");
        assertThat(score.instructionsStrict()).containsExactly(false);
        assertThat(score.instructionsLoose()).containsExactly(true);
    }

    @Test
    void markdownAsterisksFailStrictButPassLooseOnceRemoved() {
        IfEvalScore score = scoring.score(IfEvalRows.json(1128), "Done. **Is there anything else I can help with?**");
        assertThat(score.instructionsStrict()).containsExactly(false);
        assertThat(score.instructionsLoose()).containsExactly(true);
    }

    @Test
    void aBlankResponseFollowsNothingEvenWhereItsTextWould() {
        IfEvalScore score = scoring.score(IfEvalRows.json(1001), " \n\t ");
        assertThat(score.instructionsStrict()).containsExactly(false);
        assertThat(score.instructionsLoose()).containsExactly(false);
        assertThat(score.promptStrict()).isFalse();
    }

    @Test
    void looseCannotRescueAnInstructionNoVariantFollows() {
        IfEvalScore score = scoring.score(IfEvalRows.json(1001), "Intro line\nA, B, and C\nOutro, line");
        assertThat(score.instructionsLoose()).containsExactly(false);
    }

    @Test
    void theLooseVariantsAreUpstreamsEightInOrder() {
        assertThat(IfEvalScoring.looseVariants("*a*\nb\n*c*"))
                .containsExactly("*a*\nb\n*c*", "a\nb\nc", "b\n*c*", "*a*\nb", "b", "b\nc", "a\nb", "b");
        assertThat(IfEvalScoring.looseVariants("one line"))
                .containsExactly("one line", "one line", "", "", "", "", "", "");
    }

    @Test
    void processResultsGivesThePromptLevelAsAllOfTheInstructionLevel() {
        // Row 1000: no commas, at least 3 highlights, at least 300 words; this response keeps the first two only.
        IfEvalScore score = scoring.score(IfEvalRows.json(1000), "*one* *two* *three* and a short text");
        assertThat(score.metrics())
                .containsExactly(
                        Map.entry("prompt_level_strict_acc", false),
                        Map.entry("inst_level_strict_acc", List.of(true, true, false)),
                        Map.entry("prompt_level_loose_acc", false),
                        Map.entry("inst_level_loose_acc", List.of(true, true, false)));
    }

    @Test
    void aDocumentMapScoresAsItsJsonRow() {
        IfEvalRow row = IfEvalRows.row(1219);
        Map<String, Object> document = Map.of(
                "key", 1219L,
                "prompt", row.prompt(),
                "instruction_id_list", row.instructionIds(),
                "kwargs", row.kwargs());
        String response =
                "THE BEST SNEAKER FOR YOU IS THE ONE THAT FITS. A GOOD SNEAKER SUPPORTS YOUR FEET, AND A CHEAP"
                        + " SNEAKER WEARS OUT QUICKLY. WHEN YOU BUY A SNEAKER, TRY IT ON IN THE AFTERNOON, WHEN YOUR FEET ARE"
                        + " LARGER. A RUNNING SNEAKER SHOULD FEEL LIGHT; A WALKING SNEAKER SHOULD FEEL STABLE. WE THINK EVERY"
                        + " SNEAKER SHOULD BE WASHED BY HAND, AND NO SNEAKER SHOULD GO IN THE DRYER. THAT IS WHY OUR SNEAKER"
                        + " SHOP OFFERS FREE ADVICE TO ANYONE WHO WALKS IN.\n\nP.S. ASK ABOUT OUR SNEAKER CLUB.";
        assertThat(scoring.score(document, response)).isEqualTo(scoring.score(IfEvalRows.json(1219), response));
        assertThat(scoring.score(document, response).instructionsStrict()).containsExactly(true, true, true);
    }

    @Test
    void aTaskDocumentScoresThroughItsJsonAndItsPythonValuesAlike() {
        Doc doc = Doc.of((ObjectNode) IfEvalRows.json(1000));
        String response = "*one* *two* *three* and a short text";
        assertThat(scoring.score(doc, response)).isEqualTo(scoring.score(IfEvalRows.json(1000), response));
        assertThat(scoring.score(doc.values(), response)).isEqualTo(scoring.score(doc, response));
    }

    @Test
    void theInstructionLevelAccuracyPoolsEveryInstruction() {
        // Three documents with 3, 1 and 2 instructions: 4 of 6 followed, while the documents' own means average 0.5.
        List<IfEvalScore> scores = List.of(
                new IfEvalScore(List.of(true, true, true), List.of(true, true, true)),
                new IfEvalScore(List.of(false), List.of(true)),
                new IfEvalScore(List.of(true, false), List.of(false, false)));
        List<MetricResult> metrics = IfEvalScoring.aggregate(scores);

        assertThat(metrics)
                .extracting(MetricResult::metric)
                .containsExactly(
                        "prompt_level_strict_acc",
                        "inst_level_strict_acc",
                        "prompt_level_loose_acc",
                        "inst_level_loose_acc");
        assertThat(metrics).extracting(MetricResult::n).containsOnly(3);
        MetricResult promptStrict = metrics.get(0);
        assertThat(promptStrict.value()).isEqualTo(1.0 / 3);
        // sqrt(p(1 - p) n / (n - 1)) / sqrt(n) with p = 1/3, n = 3: sqrt(1/3) / sqrt(3) = 1/3.
        assertThat(promptStrict.stderr()).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(metrics.get(1).value()).isEqualTo(4.0 / 6);
        assertThat(metrics.get(1).stderr()).isNull();
        assertThat(metrics.get(2).value()).isEqualTo(2.0 / 3);
        assertThat(metrics.get(3).value()).isEqualTo(4.0 / 6);
        assertThat(metrics.get(3).stderr()).isNull();
    }

    @Test
    void aggregatingNoInstructionsIsUpstreamsZeroDivision() {
        assertThatThrownBy(() -> IfEvalScoring.instructionLevelAccuracy(List.of(List.of())))
                .isInstanceOf(ArithmeticException.class);
    }
}
