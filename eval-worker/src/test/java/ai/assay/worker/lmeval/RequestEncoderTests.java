package ai.assay.worker.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** lm-eval's tokenization of (context, continuation), shared/reference/lm_eval.md §1.2 and §1.3. */
class RequestEncoderTests {

    private static String text(WordTokenizer tokenizer, int[] ids) {
        return String.join("|", Arrays.stream(ids).mapToObj(tokenizer::piece).toList());
    }

    @Test
    void theContinuationIsTheWholeMinusTheContextWithoutBosByDefaultForGpt2LikeTokenizers() {
        ScriptedModel model = new ScriptedModel(false, 2048);
        var encoded = new RequestEncoder(model.tokenizer, model.info, null, 2048)
                .encode("Question: Capital of France?\nAnswer:", " Paris");

        assertThat(text(model.tokenizer, encoded.context())).isEqualTo("Question:| Capital| of| France?|\nAnswer:");
        assertThat(text(model.tokenizer, encoded.continuation())).isEqualTo(" Paris");
        assertThat(encoded.truncated()).isFalse();
    }

    @Test
    void llamaLikeTokenizersGetTheirBosByDefault() {
        ScriptedModel model = new ScriptedModel(true, 2048);
        var encoded = new RequestEncoder(model.tokenizer, model.info, null, 2048).encode("Answer:", " Paris");

        assertThat(text(model.tokenizer, encoded.context())).isEqualTo("<s>|Answer:");
        assertThat(text(model.tokenizer, encoded.continuation())).isEqualTo(" Paris");
    }

    @Test
    void addBosTokenForcesTheBosOnOrOff() {
        ScriptedModel gpt2 = new ScriptedModel(false, 2048);
        ScriptedModel llama = new ScriptedModel(true, 2048);

        assertThat(text(
                        gpt2.tokenizer,
                        new RequestEncoder(gpt2.tokenizer, gpt2.info, true, 2048)
                                .encode("Answer:", " Paris")
                                .context()))
                .isEqualTo("<s>|Answer:");
        assertThat(text(
                        llama.tokenizer,
                        new RequestEncoder(llama.tokenizer, llama.info, false, 2048)
                                .encode("Answer:", " Paris")
                                .context()))
                .isEqualTo("Answer:");
    }

    @Test
    void aContextThatStartsWithBosTextGetsNoSecondBos() {
        ScriptedModel model = new ScriptedModel(true, 2048);
        var encoded = new RequestEncoder(model.tokenizer, model.info, null, 2048).encode("<s>Answer:", " Paris");

        assertThat(text(model.tokenizer, encoded.context())).isEqualTo("<s>|Answer:");
    }

    @Test
    void trailingWhitespaceMovesToTheContinuation() {
        ScriptedModel model = new ScriptedModel(false, 2048);
        var encoded = new RequestEncoder(model.tokenizer, model.info, null, 2048).encode("Answer: ", "Paris");

        assertThat(text(model.tokenizer, encoded.context())).isEqualTo("Answer:");
        assertThat(text(model.tokenizer, encoded.continuation())).isEqualTo(" Paris");
        var newlines = new RequestEncoder(model.tokenizer, model.info, null, 2048).encode("A\n\n", "B");
        assertThat(text(model.tokenizer, newlines.continuation())).isEqualTo("\n\nB");
    }

    @Test
    void anEmptyContextBecomesThePrefixToken() {
        ScriptedModel model = new ScriptedModel(true, 2048);
        var encoded = new RequestEncoder(model.tokenizer, model.info, null, 2048).encode("", " Paris");

        assertThat(encoded.context()).containsExactly(WordTokenizer.BOS);
        assertThat(text(model.tokenizer, encoded.continuation())).isEqualTo(" Paris");
    }

    @Test
    void longRequestsLoseTheStartOfTheirContextDownToMaxLengthPlusOne() {
        ScriptedModel model = new ScriptedModel(false, 4);
        var encoded = new RequestEncoder(model.tokenizer, model.info, null, 4).encode("a b c d e f", " g h");

        assertThat(text(model.tokenizer, encoded.context())).isEqualTo(" d| e| f");
        assertThat(text(model.tokenizer, encoded.continuation())).isEqualTo(" g| h");
        assertThat(encoded.truncated()).isTrue();
        assertThatThrownBy(() -> new RequestEncoder(model.tokenizer, model.info, null, 4).encode("a", " b c d e f"))
                .hasMessageContaining("more than the model's 4");
    }
}
