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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused graph (GroupQueryAttention, SkipSimplifiedLayerNormalization, packed projections) against the
 * independent oracle ({@link ReferenceDecoder}) on real safetensors checkpoints of each family, run by ONNX
 * Runtime's CPU kernels of the same operators: a right-padded batch, and decoding through the KV cache.
 */
class FusedDecoderGraphWriterTests {

    private static final int VOCAB = TinyCheckpoint.VOCAB;
    /** Row 0: 9 tokens; row 1: 5 tokens, right-padded by 4 (longer than Mistral's window of 4). */
    private static final int[][] TOKENS = {{3, 17, 5, 30, 11, 2, 8, 21, 36}, {9, 14, 27, 1, 33, 0, 0, 0, 0}};

    private static final int[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0, 0, 0, 0}};

    @TempDir
    Path temp;

    /** The checkpoints of {@link DecoderGraphWriterTests}, with a head_dim GroupQueryAttention takes. */
    static Stream<Arguments> checkpoints() {
        return DecoderGraphWriterTests.checkpoints()
                .map(a -> Arguments.of(a.get()[0], ((TinyCheckpoint) a.get()[1]).withHeadDim(16)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void theFusedGraphComputesTheOraclesLogitsForARightPaddedBatch(String name, TinyCheckpoint tiny)
            throws IOException {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")));
                DecoderRunner runner = open(checkpoint, GraphVariant.FUSED_FP32)) {
            assertBatchClose(
                    name, runner.fullLogits(batch()), new ReferenceDecoder(checkpoint).logits(TOKENS, MASK), 1e-4f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void withLogitsToKeepTheFusedGraphComputesEachRightPaddedRowsLastLogitsFromTheFewestPositions(
            String name, TinyCheckpoint tiny) throws IOException {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")));
                DecoderRunner runner = open(checkpoint, GraphVariant.FUSED_FP32)) {
            assertThat(runner.keepsLogits()).isTrue();
            float[][][] expected = new ReferenceDecoder(checkpoint).logits(TOKENS, MASK);
            int length = TOKENS[0].length;
            // row 0 ends at the last column, row 1 (5 tokens) at column 4: the last 5 positions, [2, 5, vocab]
            DecodeStep last = runner.step(batch(), null, new int[] {length - 1, length + 4});
            last.cache().close();
            assertThat(runner.peakLogitsBytes()).isEqualTo(2L * 5 * VOCAB * Float.BYTES);
            assertClose(
                    Arrays.copyOfRange(last.logits(), 0, VOCAB), expected[0][length - 1], name + " row 0 last", 1e-4f);
            assertClose(
                    Arrays.copyOfRange(last.logits(), VOCAB, 2 * VOCAB), expected[1][4], name + " row 1 last", 1e-4f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void decodingThroughTheFusedKvCacheGivesTheOraclesLogits(String name, TinyCheckpoint tiny) throws IOException {
        int[] tokens = TOKENS[0];
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")));
                DecoderRunner runner = open(checkpoint, GraphVariant.FUSED_FP32)) {
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
            assertClose(step.logits(), expected[prompt - 1], name + " prefill", 1e-4f);
            KvCache cache = step.cache();
            for (int t = prompt; t < tokens.length; t++) {
                long[] all = new long[t + 1];
                Arrays.fill(all, 1);
                step = runner.step(
                        new DecoderBatch(1, 1, new long[] {tokens[t]}, t + 1, all, new long[] {t}), cache, new int[] {0
                        });
                cache = step.cache();
                assertClose(step.logits(), expected[t], name + " step " + t, 1e-4f);
            }
            cache.close();
        }
    }

    @Test
    void aHalfPrecisionFusedGraphStaysNearTheOracle() throws IOException {
        TinyCheckpoint tiny = TinyCheckpoint.of(DecoderFamily.LLAMA)
                .withDtype(TensorDtype.F16)
                .withHeadDim(16);
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")));
                DecoderRunner runner = open(checkpoint, GraphVariant.FUSED_FP16)) {
            // fp16 keeps 11 significant bits: each rounding is ≤ 2^-11 relative, and a logit of about 4 passes
            // through some twenty of them, hence 0.05; the greedy token must not change anywhere
            float[] logits = runner.fullLogits(batch());
            float[][][] expected = new ReferenceDecoder(checkpoint).logits(TOKENS, MASK);
            assertBatchClose("fp16", logits, expected, 5e-2f);
            int length = TOKENS[0].length;
            for (int b = 0; b < TOKENS.length; b++) {
                for (int t = 0; t < length; t++) {
                    if (MASK[b][t] == 1) {
                        float[] row =
                                Arrays.copyOfRange(logits, (b * length + t) * VOCAB, (b * length + t + 1) * VOCAB);
                        assertThat(argmax(row)).as("row %d position %d", b, t).isEqualTo(argmax(expected[b][t]));
                    }
                }
            }
        }
    }

    @Test
    void theFusedGraphUsesOrtsFusedOperatorsAndPacksItsProjections() throws IOException {
        TinyCheckpoint tiny = TinyCheckpoint.of(DecoderFamily.QWEN2).withHeadDim(16);
        try (HfCheckpoint checkpoint = HfCheckpoint.open(tiny.writeTo(temp.resolve("checkpoint")))) {
            Path out = Files.createDirectories(temp.resolve("built"));
            List<String> ops = FusedDecoderGraphWriter.write(checkpoint, GraphVariant.FUSED_FP16, out);
            assertThat(ops)
                    .contains(
                            "com.microsoft.GroupQueryAttention",
                            "com.microsoft.SkipSimplifiedLayerNormalization",
                            "SimplifiedLayerNormalization",
                            "Gemm")
                    .doesNotContain("Softmax", "MatMul", "Add");
            int layers = checkpoint.config().numHiddenLayers();
            long gemms = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(out.resolve("model.onnx")))
                    .getGraph()
                    .getNodeList()
                    .stream()
                    .filter(n -> n.getOpType().equals("Gemm"))
                    .count();
            assertThat(gemms).isEqualTo(4L * layers + 1);
            // fp16 weights: half the bytes of the float32 graph
            long elements = checkpoint.config().expectedTensors().values().stream()
                    .mapToLong(shape -> shape.stream().reduce(1L, (a, b) -> a * b))
                    .sum();
            long dataSize = Files.size(out.resolve(ExternalWeights.FILE_NAME));
            assertThat(dataSize).isGreaterThanOrEqualTo(elements * 2).isLessThan(elements * 4);
        }
    }

    private DecoderRunner open(HfCheckpoint checkpoint, GraphVariant variant) throws IOException {
        Path out = Files.createDirectories(temp.resolve("built"));
        FusedDecoderGraphWriter.write(checkpoint, variant, out);
        return DecoderRunner.open(
                out.resolve(FusedDecoderGraphWriter.MODEL_FILE), RunnerOptions.on(ExecutionDevice.CPU, 1));
    }

    private static DecoderBatch batch() {
        int rows = TOKENS.length;
        int length = TOKENS[0].length;
        long[] ids = new long[rows * length];
        long[] m = new long[rows * length];
        long[] positions = new long[rows * length];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = TOKENS[b][t];
                m[b * length + t] = MASK[b][t];
                positions[b * length + t] = t;
            }
        }
        return new DecoderBatch(rows, length, ids, length, m, positions);
    }

    private static void assertBatchClose(String name, float[] logits, float[][][] expected, float tolerance) {
        int length = TOKENS[0].length;
        for (int b = 0; b < TOKENS.length; b++) {
            for (int t = 0; t < length; t++) {
                if (MASK[b][t] == 0) {
                    continue;
                }
                for (int v = 0; v < VOCAB; v++) {
                    assertThat(logits[(b * length + t) * VOCAB + v])
                            .as("%s row %d position %d token %d", name, b, t, v)
                            .isCloseTo(expected[b][t][v], Offset.offset(tolerance));
                }
            }
        }
    }

    private static void assertClose(float[] got, float[] expected, String what, float tolerance) {
        assertThat(got).hasSize(expected.length);
        for (int v = 0; v < expected.length; v++) {
            assertThat(got[v]).as("%s token %d", what, v).isCloseTo(expected[v], Offset.offset(tolerance));
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
