package ai.assay.worker.engine.checkpoint;

/**
 * What a graph writer reads to build a decoder: the architecture and the weight tensors by their transformers
 * names. A checkpoint is one; a checkpoint with an adapter merged into it is another.
 */
public interface DecoderWeights {

    DecoderConfig config();

    /**
     * The tensor called {@code name} (e.g. {@code model.layers.0.self_attn.q_proj.weight}), in its checkpoint dtype and
     * [out, in] order. Its data may be a memory mapping: readers must not hold it past the build.
     *
     * @throws IllegalArgumentException when there is no such tensor
     */
    Tensor tensor(String name);
}
