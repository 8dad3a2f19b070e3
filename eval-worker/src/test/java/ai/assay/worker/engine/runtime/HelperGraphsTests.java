package ai.assay.worker.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtArenaAllocator;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtMemTypeDefault;

import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.onnxruntime.AllocatorWithDefaultOptions;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.OrtAllocator;
import org.bytedeco.onnxruntime.Value;
import org.junit.jupiter.api.Test;

/**
 * The token-scoring graph against a log-softmax and a first-index argmax (torch.argmax's choice among equal values)
 * computed in Java, on logits with ties at the maximum and on bfloat16 logits.
 */
class HelperGraphsTests {

    private static final int BATCH = 2;
    private static final int LENGTH = 3;
    private static final int VOCAB = 50;

    @Test
    void scoresMatchALogSoftmaxAndTheFirstMaximumWins() {
        float[] logits = randomLogits(7);
        // Position 1: a tie at the maximum between tokens 4 and 9; position 4: between 0 and 49.
        logits[VOCAB + 4] = 20f;
        logits[VOCAB + 9] = 20f;
        logits[4 * VOCAB] = 15f;
        logits[4 * VOCAB + 49] = 15f;
        int[] rows = {1, 1, 4, 4, 5, 0};
        int[] targets = {4, 9, 0, 49, argmax(logits, 5), 3};
        TokenScores scores = score(ElementType.FLOAT, logits, rows, targets);
        for (int i = 0; i < rows.length; i++) {
            assertThat((double) scores.logProbs()[i])
                    .as("entry %d", i)
                    .isCloseTo(logSoftmax(logits, rows[i], targets[i]), org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(scores.greedy()).containsExactly(true, false, true, false, true, targets[5] == argmax(logits, 0));
    }

    @Test
    void bfloat16LogitsAreScoredInFloat32() {
        float[] logits = randomLogits(11);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = Float.intBitsToFloat(Float.floatToIntBits(logits[i]) & 0xFFFF0000);
        }
        int[] rows = {0, 2, 3, 5};
        int[] targets = {argmax(logits, 0), 17, argmax(logits, 3), 0};
        TokenScores scores = score(ElementType.BFLOAT16, logits, rows, targets);
        for (int i = 0; i < rows.length; i++) {
            assertThat((double) scores.logProbs()[i])
                    .as("entry %d", i)
                    .isCloseTo(logSoftmax(logits, rows[i], targets[i]), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(scores.greedy()[i]).as("entry %d", i).isEqualTo(targets[i] == argmax(logits, rows[i]));
        }
    }

    private static TokenScores score(ElementType type, float[] logits, int[] rows, int[] targets) {
        try (NativeSession session = NativeSession.open(HelperGraphs.scoreTokens(type), ExecutionDevice.CPU, 1);
                PointerScope scope = new PointerScope()) {
            OrtAllocator allocator = new OrtAllocator(new AllocatorWithDefaultOptions().asUnownedAllocator());
            MemoryInfo cpu = MemoryInfo.CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
            Value input = Value.CreateTensor(allocator, new long[] {BATCH, LENGTH, VOCAB}, 3, type.code());
            if (type == ElementType.FLOAT) {
                input.GetTensorMutableDataFloat().put(logits);
            } else {
                short[] bits = new short[logits.length];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = (short) (Float.floatToIntBits(logits[i]) >>> 16);
                }
                input.GetTensorMutableDataShort().put(bits);
            }
            Value[] outputs = session.runBound(
                    new String[] {"logits", "rows", "targets"},
                    new Value[] {input, longs(allocator, rows), longs(allocator, targets)},
                    new String[] {"logprob", "greedy"},
                    new MemoryInfo[] {cpu, cpu});
            return TokenScores.read(outputs[0], outputs[1], rows.length);
        }
    }

    private static Value longs(OrtAllocator allocator, int[] values) {
        Value value = Value.CreateTensor(allocator, new long[] {values.length}, 1, ElementType.INT64.code());
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        value.GetTensorMutableDataLong().put(longs);
        return value;
    }

    private static float[] randomLogits(long seed) {
        Random random = new Random(seed);
        float[] logits = new float[BATCH * LENGTH * VOCAB];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (3 * random.nextGaussian());
        }
        return logits;
    }

    private static double logSoftmax(float[] logits, int row, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < VOCAB; v++) {
            max = Math.max(max, logits[row * VOCAB + v]);
        }
        double sum = 0;
        for (int v = 0; v < VOCAB; v++) {
            sum += Math.exp(logits[row * VOCAB + v] - max);
        }
        return logits[row * VOCAB + target] - max - Math.log(sum);
    }

    private static int argmax(float[] logits, int row) {
        int best = 0;
        for (int v = 1; v < VOCAB; v++) {
            if (logits[row * VOCAB + v] > logits[row * VOCAB + best]) {
                best = v;
            }
        }
        return best;
    }
}
