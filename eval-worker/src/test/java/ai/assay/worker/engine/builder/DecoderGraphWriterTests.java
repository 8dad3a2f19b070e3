package ai.assay.worker.engine.builder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.runtime.DecodeStep;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.KvCache;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.ReferenceDecoder;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built graph against the independent oracle ({@link ReferenceDecoder}) on real safetensors checkpoints of
 * each family: a left-padded batch, and decoding through the KV cache.
 */
class DecoderGraphWriterTests {

    private static final int VOCAB = TinyCheckpoint.VOCAB;
    /** Row 0: 9 tokens; row 1: 5 tokens, left-padded by 4 (longer than Mistral's window of 4). */
    private static final int[][] TOKENS = {{3, 17, 5, 30, 11, 2, 8, 21, 36}, {0, 0, 0, 0, 9, 14, 27, 1, 33}};

    private static final int[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 1, 1, 1, 1, 1}};

    @TempDir
    Path temp;

    static Stream<Arguments> checkpoints() {
        return Stream.of(
                Arguments.of("llama", TinyCheckpoint.of(DecoderFamily.LLAMA)),
                Arguments.of(
                        "llama tied bf16",
                        TinyCheckpoint.of(DecoderFamily.LLAMA).withTied(true).withDtype(TensorDtype.BF16)),
                Arguments.of(
                        "llama 3 rope, 3 shards",
                        TinyCheckpoint.of(DecoderFamily.LLAMA)
                                .withLlama3Rope(true)
                                .withShards(3)),
                Arguments.of("mistral window 4", TinyCheckpoint.of(DecoderFamily.MISTRAL)),
                Arguments.of(
                        "mistral no window fp16",
                        TinyCheckpoint.of(DecoderFamily.MISTRAL)
                                .withSlidingWindow(null)
                                .withDtype(TensorDtype.F16)),
                Arguments.of("qwen2", TinyCheckpoint.of(DecoderFamily.QWEN2)),
                Arguments.of(
                        "qwen3 tied", TinyCheckpoint.of(DecoderFamily.QWEN3).withTied(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void theBuiltGraphComputesTheOraclesLogitsForALeftPaddedBatch(String name, TinyCheckpoint tiny) throws IOException {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")));
                DecoderRunner runner = open(checkpoint)) {
            float[][][] expected = new ReferenceDecoder(checkpoint).logits(TOKENS, MASK);
            float[] logits = runner.fullLogits(batch(TOKENS, MASK));
            int length = TOKENS[0].length;
            for (int b = 0; b < TOKENS.length; b++) {
                for (int t = 0; t < length; t++) {
                    if (MASK[b][t] == 0) {
                        continue;
                    }
                    for (int v = 0; v < VOCAB; v++) {
                        float got = logits[(b * length + t) * VOCAB + v];
                        assertThat(got)
                                .as("%s row %d position %d token %d", name, b, t, v)
                                .isCloseTo(expected[b][t][v], org.assertj.core.data.Offset.offset(1e-4f));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void withLogitsToKeepTheGraphComputesTheOraclesLogitsOfTheLastPositionsOnly(String name, TinyCheckpoint tiny)
            throws IOException {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")));
                DecoderRunner runner = open(checkpoint)) {
            assertThat(runner.keepsLogits()).isTrue();
            float[][][] expected = new ReferenceDecoder(checkpoint).logits(TOKENS, MASK);
            int length = TOKENS[0].length;
            // each row's last token (the end of the row, with left padding): logits_to_keep 1, [2, 1, vocab]
            DecodeStep last = runner.step(batch(TOKENS, MASK), null, new int[] {length - 1, 2 * length - 1});
            last.cache().close();
            assertThat(runner.peakLogitsBytes()).isEqualTo(2L * VOCAB * Float.BYTES);
            assertClose(slice(last.logits(), 0), expected[0][length - 1], name + " row 0 last");
            assertClose(slice(last.logits(), 1), expected[1][length - 1], name + " row 1 last");
            // row 0 three from the end, row 1 at its end: the last 3 positions, [2, 3, vocab]
            DecodeStep mixed = runner.step(batch(TOKENS, MASK), null, new int[] {length - 3, 2 * length - 1});
            mixed.cache().close();
            assertThat(runner.peakLogitsBytes()).isEqualTo(2L * 3 * VOCAB * Float.BYTES);
            assertClose(slice(mixed.logits(), 0), expected[0][length - 3], name + " row 0 three from the end");
            assertClose(slice(mixed.logits(), 1), expected[1][length - 1], name + " row 1 last");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void decodingThroughTheKvCacheGivesTheOraclesLogits(String name, TinyCheckpoint tiny) throws IOException {
        int[] tokens = TOKENS[0];
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")));
                DecoderRunner runner = open(checkpoint)) {
            float[][] expected = new ReferenceDecoder(checkpoint).logits(tokens);
            int prompt = 3;
            long[] ids = new long[prompt];
            long[] mask = new long[prompt];
            long[] positions = new long[prompt];
            for (int i = 0; i < prompt; i++) {
                ids[i] = tokens[i];
                mask[i] = 1;
                positions[i] = i;
            }
            DecodeStep step = runner.step(
                    new DecoderBatch(1, prompt, ids, prompt, mask, positions), null, new int[] {prompt - 1});
            assertClose(step.logits(), expected[prompt - 1], name + " prefill");
            KvCache cache = step.cache();
            for (int t = prompt; t < tokens.length; t++) {
                long[] all = new long[t + 1];
                java.util.Arrays.fill(all, 1);
                step = runner.step(
                        new DecoderBatch(1, 1, new long[] {tokens[t]}, t + 1, all, new long[] {t}), cache, new int[] {0
                        });
                cache = step.cache();
                assertClose(step.logits(), expected[t], name + " step " + t);
            }
            cache.close();
        }
    }

    @Test
    void theGraphsWeightsLieInTheDataFileAsFloat32AtAlignedOffsets() throws IOException {
        TinyCheckpoint tiny = TinyCheckpoint.of(DecoderFamily.LLAMA).withDtype(TensorDtype.BF16);
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")))) {
            Path out = Files.createDirectories(temp.resolve("built"));
            List<String> ops = DecoderGraphWriter.write(checkpoint, out);
            assertThat(ops)
                    .contains("Gemm", "SimplifiedLayerNormalization", "Softmax")
                    .doesNotContain("LayerNormalization");
            long elements = checkpoint.config().expectedTensors().values().stream()
                    .mapToLong(shape -> shape.stream().reduce(1L, (a, b) -> a * b))
                    .sum();
            long dataSize = Files.size(out.resolve(ExternalWeights.FILE_NAME));
            assertThat(dataSize).isGreaterThanOrEqualTo(elements * 4);
            // the graph file holds no weights: only the rotary frequencies and small constants
            assertThat(Files.size(out.resolve(DecoderGraphWriter.MODEL_FILE))).isLessThan(elements * 4 / 4);
        }
    }

    private DecoderRunner open(HfCheckpoint checkpoint) throws IOException {
        Path out = Files.createDirectories(temp.resolve("built"));
        DecoderGraphWriter.write(checkpoint, out);
        return DecoderRunner.open(out.resolve(DecoderGraphWriter.MODEL_FILE), RunnerOptions.on(ExecutionDevice.CPU, 1));
    }

    /** Positions as generate() gives them: cumsum(mask) − 1, padding at 1. */
    private static DecoderBatch batch(int[][] tokens, int[][] mask) {
        int rows = tokens.length;
        int length = tokens[0].length;
        long[] ids = new long[rows * length];
        long[] m = new long[rows * length];
        long[] positions = new long[rows * length];
        for (int b = 0; b < rows; b++) {
            int seen = 0;
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = tokens[b][t];
                m[b * length + t] = mask[b][t];
                seen += mask[b][t];
                positions[b * length + t] = mask[b][t] == 1 ? seen - 1 : 1;
            }
        }
        return new DecoderBatch(rows, length, ids, length, m, positions);
    }

    private static float[] slice(float[] logits, int row) {
        return java.util.Arrays.copyOfRange(logits, row * VOCAB, (row + 1) * VOCAB);
    }

    private static void assertClose(float[] got, float[] expected, String what) {
        assertThat(got).hasSize(expected.length);
        for (int v = 0; v < expected.length; v++) {
            assertThat(got[v])
                    .as("%s token %d", what, v)
                    .isCloseTo(expected[v], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
