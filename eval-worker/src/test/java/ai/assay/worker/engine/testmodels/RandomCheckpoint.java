package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.devicecheck.RandomCheckpointWriter;
import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random-weight checkpoints of real model shapes (a Llama 3.2 1B, say) for benchmarks, written by the device check's
 * {@link RandomCheckpointWriter}: the tensors the config implies streamed into one {@code model.safetensors}, so a
 * checkpoint of several GB is written without holding it. Matrices are uniform in ±0.03 (about the spread of a trained
 * model's), norm weights 1. Unlike {@link TinyCheckpoint}, nothing here is exact in every dtype: these checkpoints
 * are for measuring, not for comparing with the oracle.
 */
public final class RandomCheckpoint {

    private RandomCheckpoint() {}

    /** The config.json of Llama 3.2 1B (tied embeddings, Llama 3 rope scaling) in {@code dtype}. */
    public static ObjectNode llama32OneB(TensorDtype dtype) {
        return llama(2048, 8192, 16, 32, 8, 64, 128256, true, dtype);
    }

    /** A Llama config of the given shape, with Llama 3's rope and norm settings. */
    public static ObjectNode llama(
            int hidden,
            int intermediate,
            int layers,
            int heads,
            int kvHeads,
            int headDim,
            int vocab,
            boolean tied,
            TensorDtype dtype) {
        return RandomCheckpointWriter.llama(hidden, intermediate, layers, heads, kvHeads, headDim, vocab, tied, dtype);
    }

    /** Writes {@code config} and random weights in {@code dtype} into {@code directory}; returns it. */
    public static Path write(Path directory, ObjectNode config, TensorDtype dtype, long seed) {
        return RandomCheckpointWriter.write(
                directory, config, dtype, seed, Runtime.getRuntime().availableProcessors());
    }

    /** The number of parameters {@code config} implies. */
    public static long parameters(ObjectNode config) {
        return RandomCheckpointWriter.parameters(config);
    }
}
