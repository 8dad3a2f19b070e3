package ai.assay.worker.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.ReferenceDecoder;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's export-layout graph computes the same decoder as the oracle, so comparing speeds is fair. */
class TorchExportedLlamaTests {

    @TempDir
    Path temp;

    @Test
    void theExportLayoutGraphComputesTheOraclesLogitsForALeftPaddedBatch() {
        int[][] tokens = {{3, 17, 5, 30, 11, 2, 8}, {0, 0, 0, 9, 14, 27, 1}};
        int[][] mask = {{1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 1, 1, 1, 1}};
        int length = tokens[0].length;
        long[] ids = new long[2 * length];
        long[] m = new long[2 * length];
        long[] positions = new long[2 * length];
        for (int b = 0; b < 2; b++) {
            int seen = 0;
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = tokens[b][t];
                m[b * length + t] = mask[b][t];
                seen += mask[b][t];
                positions[b * length + t] = mask[b][t] == 1 ? seen - 1 : 1;
            }
        }
        try (HfCheckpoint checkpoint =
                HfCheckpoint.open(TinyCheckpoint.of(DecoderFamily.LLAMA).writeTo(temp.resolve("checkpoint")))) {
            float[][][] expected = new ReferenceDecoder(checkpoint).logits(tokens, mask);
            try (DecoderRunner runner =
                    DecoderRunner.open(TorchExportedLlama.of(checkpoint), RunnerOptions.on(ExecutionDevice.CPU, 1))) {
                assertThat(runner.keepsLogits()).isFalse();
                float[] logits = runner.fullLogits(new DecoderBatch(2, length, ids, length, m, positions));
                int vocab = TinyCheckpoint.VOCAB;
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < length; t++) {
                        if (mask[b][t] == 0) {
                            continue;
                        }
                        for (int v = 0; v < vocab; v++) {
                            assertThat(logits[(b * length + t) * vocab + v])
                                    .as("row %d position %d token %d", b, t, v)
                                    .isCloseTo(expected[b][t][v], Offset.offset(1e-4f));
                        }
                    }
                }
            }
        }
    }
}
