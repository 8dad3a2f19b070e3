package ai.assay.reference.lmeval.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * arc_challenge_chat.yaml: generation stops at a blank line or the first period, {@code remove_whitespace} strips
 * what is left, and {@code exact_match} ignores case and ASCII punctuation. The target is the letter of test row
 * 0's {@code answerKey}.
 */
@RequiresSharedFixtures
class ArcChatScoringTests {

    private static final String TASK = "arc/arc_challenge_chat.yaml";

    private static final String TARGET = (String)
            FixtureTaskFiles.rows("allenai/ai2_arc/ARC-Challenge/test").get(0).get("answerKey");

    private static final GenerateUntilScoring ARC_CHAT =
            GenerateUntilScoring.fromYaml(FixtureTaskFiles.filterList(TASK), FixtureTaskFiles.metricList(TASK));

    private static GenerationDocScore score(String generated) {
        return ARC_CHAT.score(TARGET, List.of(GeneratedText.cutAtStopSequences(generated, List.of("\n\n", "."))));
    }

    @Test
    void theLetterBeforeThePeriodIsTheAnswer() {
        assertThat(TARGET).isEqualTo("C");
        GenerationDocScore score = score(" C. Planetary days will become shorter.");

        assertThat(score.filteredResponse("remove_whitespace")).isEqualTo("C");
        assertThat(score.byResultKey()).containsExactly(entry("exact_match,remove_whitespace", 1.0));
    }

    @Test
    void parenthesesAreIgnoredAsPunctuation() {
        assertThat(score(" (C)").filteredResponse("remove_whitespace")).isEqualTo("(C)");
        assertThat(score(" (C)").byResultKey().values()).containsExactly(1.0);
    }

    @Test
    void wordsAroundTheLetterAreNotIgnored() {
        assertThat(score(" The best answer is C").byResultKey().values()).containsExactly(0.0);
        assertThat(score("\nB\n").filteredResponse("remove_whitespace")).isEqualTo("B");
    }
}
