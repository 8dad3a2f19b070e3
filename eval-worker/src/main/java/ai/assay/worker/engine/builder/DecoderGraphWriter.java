package ai.assay.worker.engine.builder;

import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.DecoderWeights;
import ai.assay.worker.engine.checkpoint.RopeScaling;
import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.graph.GraphBuilder.Attr;
import ai.assay.worker.engine.runtime.ElementType;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes the ONNX decoder of a Llama-family checkpoint (Llama 1–3, Mistral, Qwen2, Qwen3) for the CPU, in float32,
 * in the Optimum layout the engine runs: inputs {@code input_ids}, {@code attention_mask}, {@code position_ids},
 * {@code past_key_values.N.key/value} [batch, kv heads, past, head dim]; outputs {@code logits} and
 * {@code present.N.key/value}. Left padding and several new tokens per row after a past both work, so the engine
 * batches prefills and speculative-free decoding as it does for an Optimum export.
 * <p>One more input, {@code logits_to_keep} (an int64 scalar), means what it means to transformers' forward: the
 * logits are [batch, k, vocab] for the last k positions of each row, every position for 0. With left padding k = 1
 * is each row's last token, so a generation prefill projects one position per row onto the vocabulary, not all.
 * <p>The forward pass is transformers' ({@code modeling_llama} and its siblings): RMSNorm, q/k/v projections (with
 * Qwen2's biases, Qwen3's per-head RMSNorm of q and k), rotary positions in the half-split layout computed in the
 * graph from {@code position_ids} and the inverse frequencies (Llama 3 scaled), grouped-query attention by
 * broadcasting, a causal mask with the padding mask and Mistral's sliding window, SwiGLU, the final norm and the
 * logit projection (tied to the embeddings or not).
 * <p>Operators, and why: every linear layer is a {@code Gemm} with {@code transB=1}, so the weights go to the data
 * file in the checkpoint's own [out, in] order without a transpose and ONNX Runtime prepacks them as it does a
 * MatMul's; norms are {@code SimplifiedLayerNormalization}, ONNX Runtime's RMSNorm kernel (what its own model
 * builder emits, one pass instead of five elementwise ops); attention is plain MatMul/Softmax, because ORT's fused
 * {@code GroupQueryAttention} takes right padding only and refuses several new tokens per row after a past in a
 * batch, which the engine's batched scoring needs. On CUDA {@link FusedDecoderGraphWriter} writes the graph with
 * fused operators instead.
 */
public final class DecoderGraphWriter {

    static final String MODEL_FILE = "model.onnx";

    private static final int FLOAT = ElementType.FLOAT.code();
    private static final int INT64 = ElementType.INT64.code();
    /** Added to the scores of keys a query may not see: exp underflows to exactly 0 against any real score. */
    private static final float MASKED = -1e9f;

    private final DecoderWeights checkpoint;
    private final DecoderConfig config;
    private final GraphBuilder g = new GraphBuilder("assay_decoder");
    private ExternalWeights weights;

    private DecoderGraphWriter(DecoderWeights checkpoint) {
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
    }

    /**
     * Writes {@code model.onnx} and {@code model.onnx.data} into {@code directory} (which must not hold them yet) and
     * returns the operator types used, sorted, domain-qualified where not ONNX's.
     */
    public static List<String> write(DecoderWeights checkpoint, Path directory) throws IOException {
        return new DecoderGraphWriter(checkpoint).writeInto(directory);
    }

    private List<String> writeInto(Path directory) throws IOException {
        try (ExternalWeights data = new ExternalWeights(directory, ElementType.FLOAT)) {
            weights = data;
            graph();
            data.force();
        }
        ModelProto model = g.build();
        try (OutputStream out = Files.newOutputStream(directory.resolve(MODEL_FILE))) {
            model.writeTo(out);
        }
        return operators(model);
    }

    /** The operator types of a model's graph, sorted, domain-qualified where not ONNX's. */
    static List<String> operators(ModelProto model) {
        TreeSet<String> ops = new TreeSet<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            ops.add(node.getDomain().isEmpty() ? node.getOpType() : node.getDomain() + "." + node.getOpType());
        }
        return List.copyOf(ops);
    }

    private void graph() throws IOException {
        int hidden = config.hiddenSize();
        String ids = g.input("input_ids", INT64, "batch_size", "sequence_length");
        String mask = g.input("attention_mask", INT64, "batch_size", "total_sequence_length");
        String positions = g.input("position_ids", INT64, "batch_size", "sequence_length");
        String embeddings = weight("model.embed_tokens.weight");
        // [B, S, H] → [B·S, H]: the layers' Gemms take rows
        String x = g.op("Reshape", g.op("Gather", embeddings, ids, Attr.of("axis", 0L)), g.longConstant(-1, hidden));
        String batchBySequence = g.op("Shape", ids);
        String[] rotary = rotary(positions);
        String bias = attentionBias(ids, mask);
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            x = layer(l, x, batchBySequence, rotary, bias);
        }
        // The last logits_to_keep positions of each row, as transformers' forward slices them (0: every position)
        String keep = g.input("logits_to_keep", INT64);
        String states =
                g.op("Reshape", x, g.op("Concat", batchBySequence, g.longConstant(hidden), Attr.of("axis", 0L)));
        String kept = DecoderOps.lastPositions(g, states, keep);
        String normed = rmsNorm(g.op("Reshape", kept, g.longConstant(-1, hidden)), weight("model.norm.weight"));
        String head = config.tieWordEmbeddings() ? embeddings : weight("lm_head.weight");
        String logits = linear(normed, head, null);
        String shaped = g.op(
                "Reshape",
                logits,
                g.op(
                        "Concat",
                        g.op("Shape", kept, Attr.of("end", 2L)),
                        g.longConstant(config.vocabSize()),
                        Attr.of("axis", 0L)));
        g.output("logits", shaped, FLOAT, "batch_size", "logits_length", (long) config.vocabSize());
    }

    private String layer(int l, String x, String batchBySequence, String[] rotary, String bias) throws IOException {
        String p = "model.layers." + l + ".";
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int d = config.headDim();
        String h = rmsNorm(x, weight(p + "input_layernorm.weight"));
        String q = linear(
                h,
                weight(p + "self_attn.q_proj.weight"),
                config.qkvBias() ? weight(p + "self_attn.q_proj.bias") : null);
        String k = linear(
                h,
                weight(p + "self_attn.k_proj.weight"),
                config.qkvBias() ? weight(p + "self_attn.k_proj.bias") : null);
        String v = linear(
                h,
                weight(p + "self_attn.v_proj.weight"),
                config.qkvBias() ? weight(p + "self_attn.v_proj.bias") : null);
        // [B·S, n·D] → [B, S, n, D] (Qwen3 normalises each head here) → [B, n, S, D]
        String q4 = heads(q, batchBySequence, heads);
        String k4 = heads(k, batchBySequence, kvHeads);
        if (config.qkNorm()) {
            q4 = rmsNorm(q4, weight(p + "self_attn.q_norm.weight"));
            k4 = rmsNorm(k4, weight(p + "self_attn.k_norm.weight"));
        }
        q4 = rotate(g.op("Transpose", q4, Attr.ints("perm", 0, 2, 1, 3)), rotary);
        k4 = rotate(g.op("Transpose", k4, Attr.ints("perm", 0, 2, 1, 3)), rotary);
        String v4 = g.op("Transpose", heads(v, batchBySequence, kvHeads), Attr.ints("perm", 0, 2, 1, 3));
        String pastKey = g.input(
                "past_key_values." + l + ".key", FLOAT, "batch_size", (long) kvHeads, "past_sequence_length", (long) d);
        String pastValue = g.input(
                "past_key_values." + l + ".value", FLOAT, "batch_size", (long) kvHeads, "past_sequence_length", (long)
                        d);
        String presentKey = g.op("Concat", pastKey, k4, Attr.of("axis", 2L));
        String presentValue = g.op("Concat", pastValue, v4, Attr.of("axis", 2L));
        g.output(
                "present." + l + ".key",
                presentKey,
                FLOAT,
                "batch_size",
                (long) kvHeads,
                "total_sequence_length",
                (long) d);
        g.output(
                "present." + l + ".value",
                presentValue,
                FLOAT,
                "batch_size",
                (long) kvHeads,
                "total_sequence_length",
                (long) d);
        // query head h reads key/value head h / group: [B, kv, group, S, D] against [B, kv, 1, T, D]
        int group = heads / kvHeads;
        String q5 = g.op("Reshape", q4, g.longConstant(0, kvHeads, group, -1, d));
        String keys =
                g.op("Transpose", g.op("Unsqueeze", presentKey, g.longConstant(2)), Attr.ints("perm", 0, 1, 2, 4, 3));
        String scores = g.op("Mul", g.op("MatMul", q5, keys), g.floatScalar((float) (1 / Math.sqrt(d))));
        String probabilities = g.op("Softmax", g.op("Add", scores, bias), Attr.of("axis", -1L));
        String context = g.op("MatMul", probabilities, g.op("Unsqueeze", presentValue, g.longConstant(2)));
        // [B, kv, group, S, D] → [B, S, kv, group, D] → [B·S, heads·D]
        String rows = g.op(
                "Reshape",
                g.op("Transpose", context, Attr.ints("perm", 0, 3, 1, 2, 4)),
                g.longConstant(-1, (long) heads * d));
        x = g.op("Add", x, linear(rows, weight(p + "self_attn.o_proj.weight"), null));
        String h2 = rmsNorm(x, weight(p + "post_attention_layernorm.weight"));
        String gate = linear(h2, weight(p + "mlp.gate_proj.weight"), null);
        String up = linear(h2, weight(p + "mlp.up_proj.weight"), null);
        String act = g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", gate)), up);
        return g.op("Add", x, linear(act, weight(p + "mlp.down_proj.weight"), null));
    }

    /** [B·S, n·D] → [B, S, n, D]. */
    private String heads(String rows, String batchBySequence, int n) {
        return g.op(
                "Reshape",
                rows,
                g.op("Concat", batchBySequence, g.longConstant(n, config.headDim()), Attr.of("axis", 0L)));
    }

    /**
     * cos and sin [B, 1, S, D] of the positions: {@code position_ids × inverse frequencies}, the half repeated, as
     * transformers' rotary embedding computes them in float32.
     */
    private String[] rotary(String positions) {
        int d = config.headDim();
        double[] inverse = inverseFrequencies(d, config.ropeTheta(), config.ropeScaling());
        float[] values = new float[inverse.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) inverse[i];
        }
        String frequencies = g.floats("rotary_inverse_frequencies", new long[] {values.length}, values);
        String angles = g.op(
                "Mul",
                g.op("Unsqueeze", g.op("Cast", positions, Attr.of("to", (long) FLOAT)), g.longConstant(2)),
                frequencies);
        String both = g.op("Unsqueeze", g.op("Concat", angles, angles, Attr.of("axis", -1L)), g.longConstant(1));
        return new String[] {g.op("Cos", both), g.op("Sin", both)};
    }

    /** {@code x·cos + rotate_half(x)·sin} with {@code rotate_half(x) = [−x₂, x₁]} over the halves of the last axis. */
    private String rotate(String x, String[] rotary) {
        int half = config.headDim() / 2;
        String[] halves = g.ops("Split", 2, new String[] {x, g.longConstant(half, half)}, Attr.of("axis", -1L));
        String rotated = g.op("Concat", g.op("Neg", halves[1]), halves[0], Attr.of("axis", -1L));
        return g.op("Add", g.op("Mul", x, rotary[0]), g.op("Mul", rotated, rotary[1]));
    }

    /**
     * [B, 1, 1, S, T]: 0 where query i may see key j, else {@link #MASKED}. Keys and queries are counted by their
     * index in the padded sequence (the query of the last new token is at T − 1); a key is visible when it is not
     * after the query, its mask is 1 and, for Mistral, {@code query − key < sliding_window}.
     */
    private String attentionBias(String ids, String mask) {
        String total = g.op("Gather", g.op("Shape", mask), g.longScalar(1), Attr.of("axis", 0L));
        String length = g.op("Gather", g.op("Shape", ids), g.longScalar(1), Attr.of("axis", 0L));
        String keys = g.op("Range", new String[] {g.longScalar(0), total, g.longScalar(1)});
        String queries = g.op(
                "Unsqueeze",
                g.op("Range", new String[] {g.op("Sub", total, length), total, g.longScalar(1)}),
                g.longConstant(1));
        String allowed = g.op("LessOrEqual", keys, queries);
        if (config.slidingWindow() != null) {
            String distance = g.op("Sub", queries, keys);
            allowed = g.op("And", allowed, g.op("Less", distance, g.longScalar(config.slidingWindow())));
        }
        String unpadded = g.op(
                "Unsqueeze",
                g.op("Cast", mask, Attr.of("to", (long) ElementType.BOOL.code())),
                g.longConstant(1, 2, 3));
        return g.op("Where", new String[] {g.op("And", allowed, unpadded), g.floatScalar(0), g.floatScalar(MASKED)});
    }

    private String rmsNorm(String x, String weight) {
        return DecoderOps.rmsNorm(g, x, weight, config.rmsNormEps());
    }

    private String linear(String x, String weight, String bias) {
        return DecoderOps.linear(g, x, weight, bias);
    }

    private String weight(String name) throws IOException {
        return weights.add(g, name, checkpoint.tensor(name));
    }

    /**
     * The rotary inverse frequencies {@code θ^(−2i/d)}, with Llama 3's scaling (transformers'
     * {@code _compute_llama3_parameters}) where configured: wavelengths above {@code original / low_freq_factor}
     * divided by {@code factor}, below {@code original / high_freq_factor} kept, between them interpolated.
     */
    static double[] inverseFrequencies(int headDim, double theta, RopeScaling scaling) {
        double[] f = new double[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = 1.0 / Math.pow(theta, 2.0 * i / headDim);
            if (scaling != null) {
                double wavelength = 2 * Math.PI / f[i];
                double original = scaling.originalMaxPositionEmbeddings();
                if (wavelength > original / scaling.lowFreqFactor()) {
                    f[i] /= scaling.factor();
                } else if (wavelength >= original / scaling.highFreqFactor()) {
                    double smooth = (original / wavelength - scaling.lowFreqFactor())
                            / (scaling.highFreqFactor() - scaling.lowFreqFactor());
                    f[i] = (1 - smooth) * f[i] / scaling.factor() + smooth * f[i];
                }
            }
        }
        return f;
    }
}
