package ai.assay.worker.engine.builder;

import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.runtime.ElementType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which decoder graph a checkpoint is built into: the plain float32 graph for the CPU ({@link DecoderGraphWriter},
 * Optimum layout) or the graph with ONNX Runtime's fused operators ({@link FusedDecoderGraphWriter}, the layout of
 * onnxruntime-genai's builder) in fp32, fp16 or bf16. The label is part of the build's cache key: two variants of
 * one checkpoint are two builds.
 */
public enum GraphVariant {
    CPU_FP32("cpu-fp32-v2", ElementType.FLOAT, false),
    FUSED_FP32("fused-fp32-v1", ElementType.FLOAT, true),
    FUSED_FP16("fused-fp16-v1", ElementType.FLOAT16, true),
    FUSED_BF16("fused-bf16-v1", ElementType.BFLOAT16, true);

    private final String label;
    private final ElementType type;
    private final boolean fused;

    GraphVariant(String label, ElementType type, boolean fused) {
        this.label = label;
        this.type = type;
        this.fused = fused;
    }

    public String label() {
        return label;
    }

    /** The element type of the weights, the KV cache and the activations; logits are float32 in every variant. */
    public ElementType type() {
        return type;
    }

    public boolean fused() {
        return fused;
    }

    /**
     * The variant for a device: on CUDA the fused graph in the checkpoint's half type (bf16 weights stay bf16, whose
     * range fp16 lacks; fp16 and fp32 weights give fp16, as onnxruntime-genai's builder does for CUDA); on the CPU,
     * and on CUDA for a head_dim the fused attention does not take, the float32 graph, whose MatMul/Softmax
     * attention also takes left padding and batched steps after a past.
     */
    public static GraphVariant forDevice(boolean cuda, DecoderConfig config, TensorDtype weights) {
        if (!cuda || FusedDecoderGraphWriter.unsupported(config).isPresent()) {
            return CPU_FP32;
        }
        return weights == TensorDtype.BF16 ? FUSED_BF16 : FUSED_FP16;
    }

    /** By label without its version ({@code cpu-fp32}, {@code fused-fp16}, ...), case-insensitive. */
    public static GraphVariant parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(v -> v.label.startsWith(wanted + "-v"))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown build variant '" + name + "': one of "
                        + Arrays.stream(values())
                                .map(v -> v.label.substring(0, v.label.lastIndexOf("-v")))
                                .collect(Collectors.joining(", "))));
    }
}
