package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelBuild;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.testmodels.CharTokenizer;
import ai.assay.worker.engine.testmodels.ReferenceDecoder;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A Hugging Face checkpoint directory loaded as a model: built, cached, and scoring and generating as the oracle. */
class CheckpointLoadingTests {

    private static final int EOS = TestEngines.EOS;
    private static final int[] PROMPT = {5, 17, 30, 11, 8};

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(DecoderFamily.class)
    void aCheckpointDirectoryIsBuiltAndScoresAndGeneratesAsTheOracle(DecoderFamily family) {
        Path checkpoint = TinyCheckpoint.of(family).writeTo(temp.resolve("checkpoint"));
        try (LanguageModel lm = loader().load(checkpoint, null)) {
            ModelBuild build = lm.build().orElseThrow();
            assertThat(build.reused()).isFalse();
            assertThat(build.builderVersion()).isEqualTo(HfCheckpoint.BUILDER_VERSION);
            assertThat(build.dtype()).isEqualTo("fp32");
            assertThat(build.operators())
                    .contains("Gemm", "SimplifiedLayerNormalization")
                    .doesNotContain("com.microsoft.GroupQueryAttention");
            assertThat(build.files()).extracting(ModelBuild.File::name).contains("config.json", "model.safetensors");
            assertThat(lm.info().layout()).isEqualTo("optimum");
            assertThat(lm.info().vocabSize()).isEqualTo(TinyCheckpoint.VOCAB);
            assertScoresAndGeneratesAsTheOracle(checkpoint, lm);
        }
    }

    @ParameterizedTest
    @EnumSource(DecoderFamily.class)
    void theFusedBuildOfACheckpointScoresAndGeneratesAsTheOracle(DecoderFamily family) {
        Path checkpoint = TinyCheckpoint.of(family).withHeadDim(16).writeTo(temp.resolve("checkpoint"));
        try (LanguageModel lm = loader("fused-fp32").load(checkpoint, null)) {
            ModelBuild build = lm.build().orElseThrow();
            assertThat(build.dtype()).isEqualTo("fp32");
            assertThat(build.operators())
                    .contains("com.microsoft.GroupQueryAttention", "com.microsoft.SkipSimplifiedLayerNormalization")
                    .doesNotContain("Softmax");
            assertThat(lm.info().layout()).isEqualTo("genai");
            assertScoresAndGeneratesAsTheOracle(checkpoint, lm);
        }
    }

    @Test
    void theCpuAndTheFusedGraphOfOneCheckpointAreTwoBuilds() {
        Path checkpoint = TinyCheckpoint.of(DecoderFamily.LLAMA).withHeadDim(16).writeTo(temp.resolve("checkpoint"));
        String cpu;
        try (LanguageModel lm = loader("cpu-fp32").load(checkpoint, null)) {
            cpu = lm.build().orElseThrow().cacheKey();
        }
        try (LanguageModel lm = loader("fused-fp32").load(checkpoint, null)) {
            assertThat(lm.build().orElseThrow().reused()).isFalse();
            assertThat(lm.build().orElseThrow().cacheKey()).isNotEqualTo(cpu);
        }
        try (LanguageModel lm = loader("cpu-fp32").load(checkpoint, null)) {
            assertThat(lm.build().orElseThrow().reused()).isTrue();
            assertThat(lm.build().orElseThrow().cacheKey()).isEqualTo(cpu);
        }
    }

    @Test
    void aFusedBuildOfAHeadSizeGroupQueryAttentionCannotTakeIsRefusedAndLeavesNoCacheEntry() throws IOException {
        Path checkpoint = TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(temp.resolve("checkpoint"));
        assertThatThrownBy(() -> loader("fused-fp16").load(checkpoint, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("head_dim 8")
                .hasMessageContaining("cpu-fp32");
        assertNoCacheEntries();
    }

    private static void assertScoresAndGeneratesAsTheOracle(Path checkpoint, LanguageModel lm) {
        int[] greedy;
        double expectedScore;
        try (HfCheckpoint opened = HfCheckpoint.open(checkpoint)) {
            ReferenceDecoder oracle = new ReferenceDecoder(opened);
            greedy = greedy(oracle, PROMPT, 6);
            expectedScore = logLikelihood(oracle, PROMPT, greedy);
        }
        List<ScoringResult> scores = new ArrayList<>();
        lm.loglikelihood(List.of(new ScoringRequest("s", PROMPT, greedy)), scores::add);
        assertThat(scores).singleElement().satisfies(score -> {
            assertThat(score.logLikelihood()).isCloseTo(expectedScore, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(score.greedy())
                    .as("the oracle's greedy tokens are the engine's")
                    .isTrue();
        });
        var results = GenerationTests.run(
                lm, List.of(new GenerationRequest("g", PROMPT, SamplingParams.greedy(greedy.length, List.of()))));
        assertThat(results.get("g").text()).isEqualTo(CharTokenizer.text(withoutEos(greedy)));
    }

    @Test
    void theSecondLoadOfACheckpointReusesItsBuild() {
        Path checkpoint = TinyCheckpoint.of(DecoderFamily.QWEN2).writeTo(temp.resolve("checkpoint"));
        OnnxModelLoader loader = loader();
        String key;
        try (LanguageModel first = loader.load(checkpoint, null)) {
            assertThat(first.build().orElseThrow().reused()).isFalse();
            key = first.build().orElseThrow().cacheKey();
        }
        try (LanguageModel second = loader().load(checkpoint, null)) {
            assertThat(second.build().orElseThrow().reused()).isTrue();
            assertThat(second.build().orElseThrow().cacheKey()).isEqualTo(key);
            assertThat(second.build().orElseThrow().operators()).contains("Gemm");
        }
    }

    @Test
    void changedWeightsAreBuiltAgainUnderAnotherKey() throws IOException {
        Path checkpoint = TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(temp.resolve("checkpoint"));
        String first;
        try (LanguageModel lm = loader().load(checkpoint, null)) {
            first = lm.build().orElseThrow().cacheKey();
        }
        Path other = TinyCheckpoint.of(DecoderFamily.LLAMA)
                .withDtype(ai.assay.worker.engine.checkpoint.TensorDtype.BF16)
                .writeTo(temp.resolve("other"));
        Files.copy(
                other.resolve("model.safetensors"),
                checkpoint.resolve("model.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (LanguageModel lm = loader().load(checkpoint, null)) {
            assertThat(lm.build().orElseThrow().reused()).isFalse();
            assertThat(lm.build().orElseThrow().cacheKey()).isNotEqualTo(first);
        }
    }

    @Test
    void aTruncatedWeightFileFailsTheLoadNamingTheFileAndLeavesNoCacheEntry() throws IOException {
        Path checkpoint = TinyCheckpoint.of(DecoderFamily.MISTRAL).writeTo(temp.resolve("checkpoint"));
        Path weights = checkpoint.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> loader().load(checkpoint, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.safetensors");
        assertNoCacheEntries();
    }

    private void assertNoCacheEntries() throws IOException {
        if (Files.isDirectory(cache())) {
            try (Stream<Path> entries = Files.list(cache())) {
                assertThat(entries.filter(p -> !p.getFileName().toString().startsWith(".")))
                        .as("cache entries")
                        .isEmpty();
            }
        }
    }

    @Test
    void weightsWithoutAConfigAreRefusedNamingTheMissingConfig() throws IOException {
        Path checkpoint = TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(temp.resolve("checkpoint"));
        Files.delete(checkpoint.resolve("config.json"));
        assertThatThrownBy(() -> loader().load(checkpoint, null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("no config.json");
    }

    private Path cache() {
        return temp.resolve("cache");
    }

    private OnnxModelLoader loader() {
        return loader("auto");
    }

    private OnnxModelLoader loader(String buildVariant) {
        return new OnnxModelLoader(
                TestEngines.cpu(4).withBuildCache(cache()).withBuildVariant(buildVariant), TestEngines.charText(EOS));
    }

    /** The oracle's greedy continuation of {@code prompt}: up to {@code n} tokens, ending at EOS where it comes. */
    private static int[] greedy(ReferenceDecoder oracle, int[] prompt, int n) {
        int[] tokens = prompt.clone();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[][] logits = oracle.logits(tokens);
            float[] last = logits[tokens.length - 1];
            int best = 0;
            for (int v = 1; v < last.length; v++) {
                if (last[v] > last[best]) {
                    best = v;
                }
            }
            out.add(best);
            if (best == EOS) {
                break;
            }
            tokens = Arrays.copyOf(tokens, tokens.length + 1);
            tokens[tokens.length - 1] = best;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double logLikelihood(ReferenceDecoder oracle, int[] prompt, int[] continuation) {
        int[] all = Arrays.copyOf(prompt, prompt.length + continuation.length);
        System.arraycopy(continuation, 0, all, prompt.length, continuation.length);
        float[][] logits = oracle.logits(all);
        double sum = 0;
        for (int i = 0; i < continuation.length; i++) {
            float[] row = logits[prompt.length - 1 + i];
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (float v : row) {
                z += Math.exp(v - max);
            }
            sum += row[continuation[i]] - max - Math.log(z);
        }
        return sum;
    }

    private static int[] withoutEos(int[] tokens) {
        return tokens.length > 0 && tokens[tokens.length - 1] == EOS
                ? Arrays.copyOf(tokens, tokens.length - 1)
                : tokens;
    }
}
