package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.prompt.HfModelTextLoader;
import ai.assay.worker.engine.prompt.TestTokenizers;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.assay.worker.engine.testmodels.TinyDecoder.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A whole model directory (ONNX graph, tokenizer.json, tokenizer_config.json, generation_config.json) loaded. */
class ModelDirectoryEndToEndTests {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(Layout.class)
    void loadsTheDirectoryAndGeneratesAndScoresText(Layout layout) {
        TestTokenizers.writeByteLevelModelFiles(directory);
        TinyDecoder.small(layout, TestTokenizers.DEFAULT_VOCAB_SIZE).writeTo(directory);
        EngineProperties properties = TestEngines.cpu(4);
        try (LanguageModel lm = new OnnxModelLoader(properties, new HfModelTextLoader()).load(directory, null)) {
            ModelInfo info = lm.info();
            assertThat(info.layout()).isEqualTo(layout == Layout.OPTIMUM ? "optimum" : "genai");
            assertThat(info.vocabSize()).isEqualTo(TestTokenizers.DEFAULT_VOCAB_SIZE);
            assertThat(info.bosTokenId()).isEqualTo(TestTokenizers.specialTokenId(TestTokenizers.BEGIN_OF_TEXT));
            assertThat(info.eosTokenIds()).contains(TestTokenizers.specialTokenId(TestTokenizers.EOT));
            assertThat(info.addBosToken()).isTrue();

            String prompt = lm.applyChatTemplate(List.of(new ChatMessage("user", "Hello there")), true);
            assertThat(prompt).contains("Hello there");
            assertThat(lm.chatTemplateText())
                    .as("the template results.json names")
                    .hasValueSatisfying(template -> {
                        assertThat(template).contains("messages");
                    });
            int[] tokens = lm.tokenizer().encode(prompt, true);
            assertThat(tokens[0]).isEqualTo(info.bosTokenId());

            GenerationResult full = generate(lm, tokens, List.of());
            assertThat(full.outputTokens()).isPositive();
            if (full.text().length() >= 6) {
                String stop = full.text().substring(3, 5);
                GenerationResult cut = generate(lm, tokens, List.of(stop));
                assertThat(cut.text()).doesNotContain(stop);
                assertThat(full.text()).startsWith(cut.text());
            }

            int[] context = lm.tokenizer().encode("The capital of France is", true);
            int[] answer = lm.tokenizer().encode(" Paris", false);
            List<ScoringResult> scores = new ArrayList<>();
            lm.loglikelihood(List.of(new ScoringRequest("q", context, answer)), scores::add);
            assertThat(scores)
                    .singleElement()
                    .satisfies(score -> assertThat(score.logLikelihood()).isNegative());
        }
    }

    private static GenerationResult generate(LanguageModel lm, int[] prompt, List<String> stops) {
        Map<String, GenerationResult> results =
                GenerationTests.run(lm, List.of(new GenerationRequest("g", prompt, SamplingParams.greedy(24, stops))));
        return results.get("g");
    }
}
