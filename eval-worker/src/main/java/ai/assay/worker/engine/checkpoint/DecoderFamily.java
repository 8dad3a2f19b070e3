package ai.assay.worker.engine.checkpoint;

import java.util.Arrays;
import java.util.Optional;

/**
 * The decoder families read from a checkpoint, by the {@code model_type} transformers writes into
 * {@code config.json}. They share one layer (RMSNorm, rotary positions, GQA attention, SwiGLU MLP) and differ only
 * where the flags below say.
 */
public enum DecoderFamily {
    LLAMA("llama"),
    MISTRAL("mistral"),
    /** q/k/v projections carry biases ({@code Qwen2Attention} builds them with {@code bias=True}). */
    QWEN2("qwen2"),
    /** Per-head RMSNorm on queries and keys before rotary positions ({@code Qwen3Attention.q_norm/k_norm}). */
    QWEN3("qwen3");

    private final String modelType;

    DecoderFamily(String modelType) {
        this.modelType = modelType;
    }

    public String modelType() {
        return modelType;
    }

    public static Optional<DecoderFamily> ofModelType(String modelType) {
        return Arrays.stream(values())
                .filter(f -> f.modelType.equals(modelType))
                .findFirst();
    }

    public boolean hasQkvBias() {
        return this == QWEN2;
    }

    public boolean hasQkNorm() {
        return this == QWEN3;
    }
}
