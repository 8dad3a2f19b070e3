package ai.assay.reference.lmeval.filters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cut lm-eval's HF backend applies to a generation before its filters. */
class GeneratedTextTests {

    @Test
    void eachStopStringInTurnCutsWhatIsLeft() {
        // "\n\n" cuts first, at the later place; then "Q" cuts before it: the earliest occurrence wins.
        assertThat(GeneratedText.cutAtStopSequences("So (A).\nQuick\n\nQ: next", List.of("\n\n", "Q")))
                .isEqualTo("So (A).\n");
        assertThat(GeneratedText.cutAtStopSequences("no stop here", List.of("Q:")))
                .isEqualTo("no stop here");
    }

    @Test
    void anEmptyStopStringIsSkipped() {
        assertThat(GeneratedText.cutAtStopSequences("abc", List.of("", "c"))).isEqualTo("ab");
    }

    @Test
    void stopSequencesAreTheTasksUntilAndTheEosString() {
        assertThat(GeneratedText.stopSequences(List.of("Q:", "</s>"), "</s>")).containsExactly("Q:", "</s>");
        assertThat(GeneratedText.stopSequences("Q:", "<|eot_id|>")).containsExactly("Q:", "<|eot_id|>");
        assertThat(GeneratedText.stopSequences(null, null)).isEmpty();
        assertThatThrownBy(() -> GeneratedText.stopSequences(3, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aThinkingSectionEndsAtTheLastThinkEndToken() {
        assertThat(GeneratedText.postprocess(
                        "<think>a</think>b</think>\n The answer is 3.\n\nQ:", Arrays.asList("\n\n"), "</think>"))
                .isEqualTo("The answer is 3.");
        assertThat(GeneratedText.postprocess(" no thinking\n\n", List.of("\n\n"), "</think>"))
                .isEqualTo("no thinking");
        assertThat(GeneratedText.postprocess(" kept\n\n", List.of("\n\n"), null))
                .isEqualTo(" kept");
    }
}
