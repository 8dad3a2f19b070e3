package ai.assay.worker.engine.builder;

import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.DecoderWeights;
import ai.assay.worker.engine.checkpoint.Tensor;
import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.graph.GraphBuilder.Attr;
import ai.assay.worker.engine.runtime.ElementType;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Writes the decoder of a Llama-family checkpoint with ONNX Runtime's fused operators, in the layout
 * onnxruntime-genai's model builder emits and the engine runs as a genai export: inputs {@code input_ids},
 * {@code attention_mask}, {@code past_key_values.N.key/value} [batch, kv heads, past, head dim] and
 * {@code logits_to_keep} (as in {@link DecoderGraphWriter}); outputs
 * {@code logits} (float32) and {@code present.N.key/value}; right padding; no {@code position_ids} (each row's
 * positions follow from its token count). Weights, KV cache and activations are in the variant's type (fp32, fp16
 * or bf16); the logits are cast to float32, so scores are not rounded to a half type at the end.
 * <p>The forward pass is the one {@link DecoderGraphWriter} writes (transformers' {@code modeling_llama} and its
 * siblings); the operators differ:
 * <ul>
 *   <li>{@code com.microsoft.GroupQueryAttention} with {@code do_rotary=1}: attention, grouped-query heads, the
 *       rotary embedding of q and k (half-split layout, from cos/sin caches of {@code max_position_embeddings}
 *       rows computed here with Llama 3 scaling where configured), the KV cache concatenation and Mistral's
 *       sliding window ({@code local_window_size}) in one kernel (flash attention on CUDA). A separate
 *       {@code RotaryEmbedding} node is not needed: the rotation inside the attention kernel is the fused one.</li>
 *   <li>{@code com.microsoft.SkipSimplifiedLayerNormalization}: each residual addition and the RMSNorm after it in
 *       one pass (the first norm, on the embeddings, and Qwen3's per-head q/k norms are
 *       {@code SimplifiedLayerNormalization}).</li>
 *   <li>{@code Gemm transB=1} with packed weights: q, k and v are one projection (biases packed alike), gate and up
 *       another, so a layer runs four matrix products instead of seven, the weights still in [out, in] order.</li>
 * </ul>
 * ORT's {@code GroupQueryAttention} reads only each row's token count from the mask, so the batch must be right
 * padded, and it refuses several new tokens per row after a past in a batch of several rows; the engine's genai
 * layout already plans its batches that way.
 */
public final class FusedDecoderGraphWriter {

    static final String MODEL_FILE = DecoderGraphWriter.MODEL_FILE;

    private static final String MS = "com.microsoft";
    private static final int INT64 = ElementType.INT64.code();
    private static final int INT32 = ElementType.INT32.code();

    private final DecoderWeights checkpoint;
    private final DecoderConfig config;
    private final GraphVariant variant;
    private final int type;
    private final GraphBuilder g = new GraphBuilder("assay_fused_decoder");
    private ExternalWeights weights;

    private FusedDecoderGraphWriter(DecoderWeights checkpoint, GraphVariant variant) {
        if (!variant.fused()) {
            throw new IllegalArgumentException(variant.label() + " is not a fused variant");
        }
        unsupported(checkpoint.config()).ifPresent(why -> {
            throw new ModelLoadException("config.json: " + why + "; build the " + GraphVariant.CPU_FP32.label()
                    + " variant instead (assay.engine.build-variant=cpu-fp32)");
        });
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
        this.variant = variant;
        this.type = variant.type().code();
    }

    /** Why the fused graph cannot be built for {@code config}, if it cannot. */
    static Optional<String> unsupported(DecoderConfig config) {
        // ORT's GroupQueryAttention kernels take head sizes in multiples of 16 (64 and 128 in every released model)
        return config.headDim() % 16 == 0
                ? Optional.empty()
                : Optional.of("head_dim " + config.headDim()
                        + " is not a multiple of 16, which ONNX Runtime's GroupQueryAttention needs");
    }

    /**
     * Writes {@code model.onnx} and {@code model.onnx.data} into {@code directory} (which must not hold them yet) and
     * returns the operator types used, sorted, domain-qualified where not ONNX's.
     */
    public static List<String> write(DecoderWeights checkpoint, GraphVariant variant, Path directory)
            throws IOException {
        return new FusedDecoderGraphWriter(checkpoint, variant).writeInto(directory);
    }

    private List<String> writeInto(Path directory) throws IOException {
        try (ExternalWeights data = new ExternalWeights(directory, variant.type())) {
            weights = data;
            graph();
            data.force();
        }
        ModelProto model = g.build();
        try (OutputStream out = Files.newOutputStream(directory.resolve(MODEL_FILE))) {
            model.writeTo(out);
        }
        return DecoderGraphWriter.operators(model);
    }

    private void graph() throws IOException {
        int hidden = config.hiddenSize();
        String ids = g.input("input_ids", INT64, "batch_size", "sequence_length");
        String mask = g.input("attention_mask", INT64, "batch_size", "total_sequence_length");
        // GroupQueryAttention's view of the mask: each row's tokens so far minus one, and the padded width
        String tokens = g.op("ReduceSum", new String[] {mask, g.longConstant(1)}, Attr.of("keepdims", 0L));
        String seqlens = g.op("Cast", g.op("Sub", tokens, g.longScalar(1)), Attr.of("to", (long) INT32));
        String total = g.op(
                "Cast", g.op("Gather", g.op("Shape", mask), g.longScalar(1), Attr.of("axis", 0L)), Attr.of("to", (long)
                        INT32));
        String batchBySequence = g.op("Shape", ids);
        String[] caches = rotaryCaches();
        String embeddings = weight("model.embed_tokens.weight");
        String residual =
                g.op("Reshape", g.op("Gather", embeddings, ids, Attr.of("axis", 0L)), g.longConstant(-1, hidden));
        String h = rmsNorm(residual, weight("model.layers.0.input_layernorm.weight"));
        String mlpOut = null;
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            if (l > 0) {
                String[] added = skipNorm(mlpOut, residual, weight(p + "input_layernorm.weight"), true);
                h = added[0];
                residual = added[1];
            }
            String attention = attention(l, h, batchBySequence, seqlens, total, caches);
            String[] added = skipNorm(
                    linear(attention, weight(p + "self_attn.o_proj.weight"), null),
                    residual,
                    weight(p + "post_attention_layernorm.weight"),
                    true);
            residual = added[1];
            mlpOut = mlp(p, added[0]);
        }
        String normed = skipNorm(mlpOut, residual, weight("model.norm.weight"), false)[0];
        // the last logits_to_keep positions of each row (0: every position), as in DecoderGraphWriter; the norm is
        // per row, so slicing after it changes nothing
        String keep = g.input("logits_to_keep", INT64);
        String kept = DecoderOps.lastPositions(
                g,
                g.op("Reshape", normed, g.op("Concat", batchBySequence, g.longConstant(hidden), Attr.of("axis", 0L))),
                keep);
        String head = config.tieWordEmbeddings() ? embeddings : weight("lm_head.weight");
        String logits = g.op(
                "Reshape",
                linear(g.op("Reshape", kept, g.longConstant(-1, hidden)), head, null),
                g.op(
                        "Concat",
                        g.op("Shape", kept, Attr.of("end", 2L)),
                        g.longConstant(config.vocabSize()),
                        Attr.of("axis", 0L)));
        if (variant.type() != ElementType.FLOAT) {
            logits = g.op("Cast", logits, Attr.of("to", (long) ElementType.FLOAT.code()));
        }
        g.output("logits", logits, ElementType.FLOAT.code(), "batch_size", "logits_length", (long) config.vocabSize());
    }

    /** One layer's attention on the normed rows {@code h} [B·S, H]: returns [B·S, heads·D]. */
    private String attention(int l, String h, String batchBySequence, String seqlens, String total, String[] caches)
            throws IOException {
        String p = "model.layers." + l + ".self_attn.";
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int d = config.headDim();
        List<Tensor> qkv = List.of(
                checkpoint.tensor(p + "q_proj.weight"),
                checkpoint.tensor(p + "k_proj.weight"),
                checkpoint.tensor(p + "v_proj.weight"));
        long packed = (long) (heads + 2 * kvHeads) * d;
        String weight = weights.addConcatenated(g, p + "qkv_proj.weight", qkv, packed, config.hiddenSize());
        String bias = config.qkvBias()
                ? weights.addConcatenated(
                        g,
                        p + "qkv_proj.bias",
                        List.of(
                                checkpoint.tensor(p + "q_proj.bias"),
                                checkpoint.tensor(p + "k_proj.bias"),
                                checkpoint.tensor(p + "v_proj.bias")),
                        packed)
                : null;
        String projected = linear(h, weight, bias);
        String query;
        String key = "";
        String value = "";
        if (config.qkNorm()) {
            // Qwen3 normalises each head of q and k before the rotation, so they cannot stay packed
            String[] split = g.ops(
                    "Split",
                    3,
                    new String[] {projected, g.longConstant((long) heads * d, (long) kvHeads * d, (long) kvHeads * d)},
                    Attr.of("axis", 1L));
            query = threeD(headNorm(split[0], heads, weight(p + "q_norm.weight")), batchBySequence);
            key = threeD(headNorm(split[1], kvHeads, weight(p + "k_norm.weight")), batchBySequence);
            value = threeD(split[2], batchBySequence);
        } else {
            query = threeD(projected, batchBySequence);
        }
        String pastKey = g.input(
                "past_key_values." + l + ".key", type, "batch_size", (long) kvHeads, "past_sequence_length", (long) d);
        String pastValue = g.input(
                "past_key_values." + l + ".value", type, "batch_size", (long) kvHeads, "past_sequence_length", (long)
                        d);
        String[] out = g.node(
                MS,
                "GroupQueryAttention",
                3,
                new String[] {query, key, value, pastKey, pastValue, seqlens, total, caches[0], caches[1]},
                Attr.of("num_heads", (long) heads),
                Attr.of("kv_num_heads", (long) kvHeads),
                Attr.of("do_rotary", 1L),
                Attr.of("rotary_interleaved", 0L),
                Attr.of("local_window_size", config.slidingWindow() == null ? -1L : config.slidingWindow()));
        for (int i = 1; i <= 2; i++) {
            g.output(
                    "present." + l + (i == 1 ? ".key" : ".value"),
                    out[i],
                    type,
                    "batch_size",
                    (long) kvHeads,
                    "total_sequence_length",
                    (long) d);
        }
        return g.op("Reshape", out[0], g.longConstant(-1, (long) heads * d));
    }

    private String mlp(String p, String h) throws IOException {
        int intermediate = config.intermediateSize();
        String gateUp = weights.addConcatenated(
                g,
                p + "mlp.gate_up_proj.weight",
                List.of(checkpoint.tensor(p + "mlp.gate_proj.weight"), checkpoint.tensor(p + "mlp.up_proj.weight")),
                2L * intermediate,
                config.hiddenSize());
        String[] halves = g.ops(
                "Split",
                2,
                new String[] {linear(h, gateUp, null), g.longConstant(intermediate, intermediate)},
                Attr.of("axis", 1L));
        String act = g.op("Mul", g.op("Mul", halves[0], g.op("Sigmoid", halves[0])), halves[1]);
        return linear(act, weight(p + "mlp.down_proj.weight"), null);
    }

    /**
     * cos and sin [max positions, D/2] in the variant's type: {@code cos(p·f)}, {@code sin(p·f)} with the angle
     * rounded to float32 as transformers' float32 rotary embedding computes it.
     */
    private String[] rotaryCaches() throws IOException {
        int half = config.headDim() / 2;
        double[] inverse =
                DecoderGraphWriter.inverseFrequencies(config.headDim(), config.ropeTheta(), config.ropeScaling());
        float[] frequencies = new float[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = (float) inverse[i];
        }
        long[] dims = {config.maxPositionEmbeddings(), half};
        String cos = weights.addComputed(
                g, "cos_cache", dims, i -> Math.cos((float) (i / half) * frequencies[(int) (i % half)]));
        String sin = weights.addComputed(
                g, "sin_cache", dims, i -> Math.sin((float) (i / half) * frequencies[(int) (i % half)]));
        return new String[] {cos, sin};
    }

    /** [B·S, n·D] → per-head RMSNorm → [B·S, n·D]. */
    private String headNorm(String rows, int n, String weight) {
        String perHead = g.op("Reshape", rows, g.longConstant(-1, n, config.headDim()));
        return g.op("Reshape", rmsNorm(perHead, weight), g.longConstant(-1, (long) n * config.headDim()));
    }

    /** [B·S, X] → [B, S, X], as GroupQueryAttention takes its inputs. */
    private String threeD(String rows, String batchBySequence) {
        return g.op("Reshape", rows, g.op("Concat", batchBySequence, g.longConstant(-1), Attr.of("axis", 0L)));
    }

    private String rmsNorm(String x, String weight) {
        return DecoderOps.rmsNorm(g, x, weight, config.rmsNormEps());
    }

    /**
     * {@code x + residual} and its RMSNorm in one node: returns the normed value and, when {@code keepSum}, the sum
     * (the next residual). The mean and inverse-deviation outputs are not asked for.
     */
    private String[] skipNorm(String x, String residual, String weight, boolean keepSum) {
        String[] out = g.node(
                MS,
                "SkipSimplifiedLayerNormalization",
                new boolean[] {true, false, false, keepSum},
                new String[] {x, residual, weight},
                Attr.of("epsilon", (float) config.rmsNormEps()));
        return new String[] {out[0], out[3]};
    }

    private String linear(String x, String weight, String bias) {
        return DecoderOps.linear(g, x, weight, bias);
    }

    private String weight(String name) throws IOException {
        return weights.add(g, name, checkpoint.tensor(name));
    }
}
