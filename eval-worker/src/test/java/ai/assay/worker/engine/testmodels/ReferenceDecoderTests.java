package ai.assay.worker.engine.testmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.checkpoint.RopeScaling;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The oracle's own properties: what must hold of any correct forward pass of these decoders. */
class ReferenceDecoderTests {

    private static final int[] PROMPT = {3, 17, 5, 29, 11, 8, 36};

    @TempDir
    Path dir;

    private float[][] logits(TinyCheckpoint spec, String name, int[] tokens) {
        try (HfCheckpoint c = HfCheckpoint.open(spec.writeTo(dir.resolve(name)))) {
            return new ReferenceDecoder(c).logits(tokens);
        }
    }

    private float[][] logitsWithTensors(
            TinyCheckpoint spec, String name, UnaryOperator<SafetensorsWriter.Entry> change) {
        List<SafetensorsWriter.Entry> tensors = new ArrayList<>(spec.tensors());
        tensors.replaceAll(change);
        try (HfCheckpoint c =
                HfCheckpoint.open(TinyCheckpoint.writeTo(dir.resolve(name), spec.configJson(), tensors))) {
            return new ReferenceDecoder(c).logits(PROMPT);
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-5f));
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @ParameterizedTest
    @EnumSource(DecoderFamily.class)
    void aLeftPaddedRowGivesTheLogitsOfTheUnpaddedOne(DecoderFamily family) {
        TinyCheckpoint spec = TinyCheckpoint.of(family).withLlama3Rope(family == DecoderFamily.LLAMA);
        try (HfCheckpoint c = HfCheckpoint.open(spec.writeTo(dir))) {
            ReferenceDecoder oracle = new ReferenceDecoder(c);
            int[] shortRow = Arrays.copyOf(PROMPT, 4);
            int[][] tokens = {PROMPT, {0, 0, 0, shortRow[0], shortRow[1], shortRow[2], shortRow[3]}};
            int[][] mask = {{1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 1, 1, 1, 1}};
            float[][][] batch = oracle.logits(tokens, mask);
            float[][] alone = oracle.logits(shortRow);
            for (int t = 0; t < 4; t++) {
                assertClose(batch[1][3 + t], alone[t]);
            }
            assertThat(batch[1][0][0]).isNaN();
            float[][] full = oracle.logits(PROMPT);
            for (int t = 0; t < PROMPT.length; t++) {
                assertClose(batch[0][t], full[t]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DecoderFamily.class)
    void changingALaterTokenLeavesEarlierLogitsAlone(DecoderFamily family) {
        TinyCheckpoint spec = TinyCheckpoint.of(family);
        try (HfCheckpoint c = HfCheckpoint.open(spec.writeTo(dir))) {
            ReferenceDecoder oracle = new ReferenceDecoder(c);
            int[] changed = PROMPT.clone();
            changed[4] = 20;
            float[][] before = oracle.logits(PROMPT);
            float[][] after = oracle.logits(changed);
            for (int t = 0; t < 4; t++) {
                assertThat(after[t]).containsExactly(before[t]);
            }
            assertThat(maxDifference(after[4], before[4])).isGreaterThan(1e-3);
        }
    }

    @Test
    void tiedLogitsProjectOnTheEmbeddingMatrix() {
        int unused = 30; // not in PROMPT, so its embedding row enters only through the output projection
        TinyCheckpoint tied = TinyCheckpoint.of(DecoderFamily.LLAMA).withTied(true);
        UnaryOperator<SafetensorsWriter.Entry> bumpRow = e -> {
            if (!e.name().equals("model.embed_tokens.weight")) {
                return e;
            }
            float[] v = e.values().clone();
            int hidden = tied.hidden();
            for (int i = 0; i < hidden; i++) {
                v[unused * hidden + i] = -v[unused * hidden + i];
            }
            return SafetensorsWriter.Entry.of(e.name(), e.dtype(), e.shape(), v);
        };
        float[][] tiedBefore = logitsWithTensors(tied, "tied", UnaryOperator.identity());
        float[][] tiedAfter = logitsWithTensors(tied, "tied-bumped", bumpRow);
        TinyCheckpoint untied = TinyCheckpoint.of(DecoderFamily.LLAMA);
        float[][] untiedBefore = logitsWithTensors(untied, "untied", UnaryOperator.identity());
        float[][] untiedAfter = logitsWithTensors(untied, "untied-bumped", bumpRow);
        for (int t = 0; t < PROMPT.length; t++) {
            assertThat(tiedAfter[t][unused]).isCloseTo(-tiedBefore[t][unused], within(1e-5f));
            assertThat(tiedAfter[t][unused]).isNotCloseTo(tiedBefore[t][unused], within(1e-4f));
            for (int token = 0; token < TinyCheckpoint.VOCAB; token++) {
                if (token != unused) {
                    assertThat(tiedAfter[t][token]).isEqualTo(tiedBefore[t][token]);
                }
            }
            assertThat(untiedAfter[t]).containsExactly(untiedBefore[t]);
        }
    }

    @Test
    void llama3ScalingDividesLowFrequenciesKeepsHighOnesAndBlendsBetween() {
        RopeScaling scaling = RopeScaling.llama3(8.0, 1.0, 4.0, 64);
        double[] plain = ReferenceDecoder.inverseFrequencies(8, 10000.0, null);
        double[] scaled = ReferenceDecoder.inverseFrequencies(8, 10000.0, scaling);
        assertThat(plain).containsExactly(new double[] {1, 0.1, 0.01, 0.001}, within(1e-15));
        // wavelengths 2π/f: 6.3 (under 64/4, kept), 62.8 (between), 628 and 6283 (over 64/1, divided by 8)
        assertThat(scaled[0]).isEqualTo(plain[0]);
        double smooth = (64 / (2 * Math.PI / 0.1) - 1.0) / (4.0 - 1.0);
        assertThat(scaled[1]).isCloseTo((1 - smooth) * 0.1 / 8 + smooth * 0.1, within(1e-15));
        assertThat(scaled[2]).isCloseTo(0.01 / 8, within(1e-15));
        assertThat(scaled[3]).isCloseTo(0.001 / 8, within(1e-15));
    }

    @Test
    void ropeScalingChangesNothingAtPositionZeroAndTheLaterPositions() {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.LLAMA);
        float[][] plain = logits(spec, "plain", PROMPT);
        float[][] scaled = logits(spec.withLlama3Rope(true), "scaled", PROMPT);
        assertThat(scaled[0]).containsExactly(plain[0]);
        assertThat(maxDifference(scaled[5], plain[5])).isGreaterThan(1e-4);
    }

    @Test
    void mistralsWindowMattersOnlyFromTheWindowOn() {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.MISTRAL).withSlidingWindow(3);
        float[][] windowed = logits(spec, "windowed", PROMPT);
        float[][] full = logits(spec.withSlidingWindow(null), "full", PROMPT);
        for (int t = 0; t < 3; t++) {
            assertThat(windowed[t]).containsExactly(full[t]);
        }
        assertThat(maxDifference(windowed[3], full[3])).isGreaterThan(1e-4);
    }

    @Test
    void qwen3QueryAndKeyNormsCancelTheScaleOfTheirProjections() {
        UnaryOperator<SafetensorsWriter.Entry> doubleQk = e -> {
            if (!e.name().endsWith("q_proj.weight") && !e.name().endsWith("k_proj.weight")) {
                return e;
            }
            float[] v = e.values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] *= 2;
            }
            return SafetensorsWriter.Entry.of(e.name(), e.dtype(), e.shape(), v);
        };
        TinyCheckpoint qwen3 = TinyCheckpoint.of(DecoderFamily.QWEN3);
        float[][] before = logitsWithTensors(qwen3, "qwen3", UnaryOperator.identity());
        float[][] after = logitsWithTensors(qwen3, "qwen3-doubled", doubleQk);
        TinyCheckpoint llama = TinyCheckpoint.of(DecoderFamily.LLAMA);
        float[][] llamaBefore = logitsWithTensors(llama, "llama", UnaryOperator.identity());
        float[][] llamaAfter = logitsWithTensors(llama, "llama-doubled", doubleQk);
        for (int t = 0; t < PROMPT.length; t++) {
            for (int token = 0; token < TinyCheckpoint.VOCAB; token++) {
                assertThat(after[t][token]).isCloseTo(before[t][token], within(1e-3f));
            }
        }
        assertThat(maxDifference(llamaAfter[6], llamaBefore[6])).isGreaterThan(1e-3);
    }

    @Test
    void qwen2BiasesEnterTheAttention() {
        UnaryOperator<SafetensorsWriter.Entry> zeroKeyBias = e -> e.name().endsWith("v_proj.bias")
                ? SafetensorsWriter.Entry.of(e.name(), e.dtype(), e.shape(), new float[e.values().length])
                : e;
        TinyCheckpoint qwen2 = TinyCheckpoint.of(DecoderFamily.QWEN2);
        float[][] withBias = logitsWithTensors(qwen2, "bias", UnaryOperator.identity());
        float[][] without = logitsWithTensors(qwen2, "no-bias", zeroKeyBias);
        assertThat(maxDifference(withBias[0], without[0])).isGreaterThan(1e-3);
    }

    @Test
    void halfPrecisionCheckpointsOfTheSameWeightsGiveTheSameLogits() {
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.QWEN2);
        float[][] f32 = logits(spec, "f32", PROMPT);
        float[][] f16 = logits(spec.withDtype(TensorDtype.F16), "f16", PROMPT);
        float[][] bf16 = logits(spec.withDtype(TensorDtype.BF16), "bf16", PROMPT);
        for (int t = 0; t < PROMPT.length; t++) {
            assertThat(f16[t]).containsExactly(f32[t]);
            assertThat(bf16[t]).containsExactly(f32[t]);
        }
    }

    @Test
    void groupedQueryAttentionEqualsFullAttentionWithEachKeyValueHeadRepeated() {
        // 4 query heads over 2 kv heads equal 4 heads over 4 kv heads whose heads 2i and 2i+1 copy kv head i
        TinyCheckpoint spec = TinyCheckpoint.of(DecoderFamily.LLAMA);
        float[][] grouped = logits(spec, "gqa", PROMPT);
        List<SafetensorsWriter.Entry> tensors = new ArrayList<>(spec.tensors());
        int rowsPerHead = TinyCheckpoint.HEAD_DIM * spec.hidden();
        tensors.replaceAll(e -> {
            if (!e.name().endsWith("k_proj.weight") && !e.name().endsWith("v_proj.weight")) {
                return e;
            }
            float[] repeated = new float[TinyCheckpoint.HEADS * rowsPerHead];
            for (int head = 0; head < TinyCheckpoint.HEADS; head++) {
                int kvHead = head / (TinyCheckpoint.HEADS / TinyCheckpoint.KV_HEADS);
                System.arraycopy(e.values(), kvHead * rowsPerHead, repeated, head * rowsPerHead, rowsPerHead);
            }
            return SafetensorsWriter.Entry.of(
                    e.name(),
                    e.dtype(),
                    List.of((long) TinyCheckpoint.HEADS * TinyCheckpoint.HEAD_DIM, (long) spec.hidden()),
                    repeated);
        });
        Path full = TinyCheckpoint.writeTo(
                dir.resolve("mha"), spec.configJson().put("num_key_value_heads", TinyCheckpoint.HEADS), tensors);
        try (HfCheckpoint c = HfCheckpoint.open(full)) {
            float[][] mha = new ReferenceDecoder(c).logits(PROMPT);
            for (int t = 0; t < PROMPT.length; t++) {
                assertClose(mha[t], grouped[t]);
            }
        }
    }
}
