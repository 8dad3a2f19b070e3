package ai.assay.worker.engine.bench;

import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.graph.GraphBuilder.Attr;
import ai.assay.worker.engine.runtime.ElementType;
import ai.assay.worker.engine.testmodels.ReferenceDecoder;

/**
 * The decoder of a plain Llama checkpoint (no biases, no q/k norms, no sliding window, untied) laid out as
 * {@code torch.onnx.export} writes {@code LlamaForCausalLM} in the Optimum layout, for the benchmark to compare the
 * builder's graph with: [batch, sequence, hidden] activations, every linear layer a {@code MatMul} with its weight
 * transposed to [in, out] at export time, RMSNorm decomposed into {@code Pow}, {@code ReduceMean}, {@code Add},
 * {@code Sqrt}, {@code Div}, {@code Mul}, rotate_half by {@code Slice}, grouped-query attention by {@code repeat_kv}
 * ({@code Expand} and {@code Reshape} of the whole cache every step), logits of every position. The weights are
 * held in the graph (no external data), float32.
 */
final class TorchExportedLlama {

    private static final int FLOAT = ElementType.FLOAT.code();
    private static final int INT64 = ElementType.INT64.code();

    private final HfCheckpoint checkpoint;
    private final DecoderConfig config;
    private final GraphBuilder g = new GraphBuilder("torch_jit");

    private TorchExportedLlama(HfCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
    }

    /** The serialised model. */
    static byte[] of(HfCheckpoint checkpoint) {
        TorchExportedLlama export = new TorchExportedLlama(checkpoint);
        export.graph();
        return export.g.toBytes();
    }

    private void graph() {
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int d = config.headDim();
        String ids = g.input("input_ids", INT64, "batch_size", "sequence_length");
        String mask = g.input("attention_mask", INT64, "batch_size", "total_sequence_length");
        String positions = g.input("position_ids", INT64, "batch_size", "sequence_length");
        String x = g.op("Gather", weight("model.embed_tokens.weight"), ids, Attr.of("axis", 0L));
        String[] rotary = rotary(positions);
        String bias = attentionBias(ids, mask);
        int group = heads / kvHeads;
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            String h = rmsNorm(x, p + "input_layernorm.weight");
            String q = heads(linear(h, p + "self_attn.q_proj.weight"), heads);
            String k = heads(linear(h, p + "self_attn.k_proj.weight"), kvHeads);
            String v = heads(linear(h, p + "self_attn.v_proj.weight"), kvHeads);
            q = rotate(q, rotary);
            k = rotate(k, rotary);
            String pastKey = g.input(
                    "past_key_values." + l + ".key", FLOAT, "batch_size", (long) kvHeads, "past_sequence_length", (long)
                            d);
            String pastValue = g.input(
                    "past_key_values." + l + ".value",
                    FLOAT,
                    "batch_size",
                    (long) kvHeads,
                    "past_sequence_length",
                    (long) d);
            String presentKey = g.op("Concat", pastKey, k, Attr.of("axis", 2L));
            String presentValue = g.op("Concat", pastValue, v, Attr.of("axis", 2L));
            g.output("present." + l + ".key", presentKey, FLOAT, "batch_size", (long) kvHeads, "total", (long) d);
            g.output("present." + l + ".value", presentValue, FLOAT, "batch_size", (long) kvHeads, "total", (long) d);
            String keys = repeatKv(presentKey, group, heads, d);
            String values = repeatKv(presentValue, group, heads, d);
            String scores = g.op(
                    "Mul",
                    g.op("MatMul", q, g.op("Transpose", keys, Attr.ints("perm", 0, 1, 3, 2))),
                    g.floatScalar((float) (1 / Math.sqrt(d))));
            String probabilities = g.op("Softmax", g.op("Add", scores, bias), Attr.of("axis", -1L));
            String context = g.op(
                    "Reshape",
                    g.op("Transpose", g.op("MatMul", probabilities, values), Attr.ints("perm", 0, 2, 1, 3)),
                    g.longConstant(0, 0, (long) heads * d));
            x = g.op("Add", x, linear(context, p + "self_attn.o_proj.weight"));
            String h2 = rmsNorm(x, p + "post_attention_layernorm.weight");
            String gate = linear(h2, p + "mlp.gate_proj.weight");
            String up = linear(h2, p + "mlp.up_proj.weight");
            String act = g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", gate)), up);
            x = g.op("Add", x, linear(act, p + "mlp.down_proj.weight"));
        }
        String logits = linear(rmsNorm(x, "model.norm.weight"), "lm_head.weight");
        g.output("logits", logits, FLOAT, "batch_size", "sequence_length", (long) config.vocabSize());
    }

    /** [B, S, n·D] → [B, n, S, D]. */
    private String heads(String x, int n) {
        return g.op(
                "Transpose",
                g.op("Reshape", x, g.longConstant(0, 0, n, config.headDim())),
                Attr.ints("perm", 0, 2, 1, 3));
    }

    /** transformers' repeat_kv: [B, kv, T, D] → [B, kv, group, T, D] (expanded) → [B, heads, T, D]. */
    private String repeatKv(String kv, int group, int heads, int d) {
        String expanded = g.op("Expand", g.op("Unsqueeze", kv, g.longConstant(2)), g.longConstant(1, 1, group, 1, 1));
        return g.op("Reshape", expanded, g.longConstant(0, heads, -1, d));
    }

    private String[] rotary(String positions) {
        double[] inverse =
                ReferenceDecoder.inverseFrequencies(config.headDim(), config.ropeTheta(), config.ropeScaling());
        float[] values = new float[inverse.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) inverse[i];
        }
        String frequencies = g.floats("inv_freq", new long[] {values.length}, values);
        String angles = g.op(
                "Mul",
                g.op("Unsqueeze", g.op("Cast", positions, Attr.of("to", (long) FLOAT)), g.longConstant(2)),
                frequencies);
        String both = g.op("Unsqueeze", g.op("Concat", angles, angles, Attr.of("axis", -1L)), g.longConstant(1));
        return new String[] {g.op("Cos", both), g.op("Sin", both)};
    }

    /** {@code x·cos + rotate_half(x)·sin}, the halves taken by Slice as the exporter writes {@code x[..., :d/2]}. */
    private String rotate(String x, String[] rotary) {
        int half = config.headDim() / 2;
        String first = g.op("Slice", new String[] {x, g.longConstant(0), g.longConstant(half), g.longConstant(-1)});
        String second = g.op(
                "Slice", new String[] {x, g.longConstant(half), g.longConstant(Long.MAX_VALUE), g.longConstant(-1)});
        String rotated = g.op("Concat", g.op("Neg", second), first, Attr.of("axis", -1L));
        return g.op("Add", g.op("Mul", x, rotary[0]), g.op("Mul", rotated, rotary[1]));
    }

    /** [B, 1, S, T]: 0 where query i may see key j (causal, not padding), else the float32 minimum. */
    private String attentionBias(String ids, String mask) {
        String total = g.op("Gather", g.op("Shape", mask), g.longScalar(1), Attr.of("axis", 0L));
        String length = g.op("Gather", g.op("Shape", ids), g.longScalar(1), Attr.of("axis", 0L));
        String keys = g.op("Range", new String[] {g.longScalar(0), total, g.longScalar(1)});
        String queries = g.op(
                "Unsqueeze",
                g.op("Range", new String[] {g.op("Sub", total, length), total, g.longScalar(1)}),
                g.longConstant(1));
        String unpadded = g.op(
                "Unsqueeze", g.op("Cast", mask, Attr.of("to", (long) ElementType.BOOL.code())), g.longConstant(1, 2));
        String allowed = g.op("And", g.op("LessOrEqual", keys, queries), unpadded);
        return g.op("Where", new String[] {allowed, g.floatScalar(0), g.floatScalar(-Float.MAX_VALUE)});
    }

    /** transformers' LlamaRMSNorm as traced: {@code weight · (x / sqrt(mean(x²) + ε))}. */
    private String rmsNorm(String x, String weightName) {
        String variance =
                g.op("ReduceMean", g.op("Pow", x, g.floatScalar(2)), Attr.ints("axes", -1), Attr.of("keepdims", 1L));
        String root = g.op("Sqrt", g.op("Add", variance, g.floatScalar((float) config.rmsNormEps())));
        String normed = g.op("Mul", x, g.op("Div", g.floatScalar(1), root));
        return g.op("Mul", weight(weightName), normed);
    }

    /** {@code x · W} with W transposed to [in, out], as the exporter stores a Linear's weight for MatMul. */
    private String linear(String x, String name) {
        float[] w = checkpoint.tensor(name).toFloats();
        int out = Math.toIntExact(checkpoint.tensor(name).shape().get(0));
        int in = Math.toIntExact(checkpoint.tensor(name).shape().get(1));
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[o * in + i];
            }
        }
        return g.op("MatMul", x, g.floats("onnx::MatMul_" + name, new long[] {in, out}, t));
    }

    private String weight(String name) {
        var tensor = checkpoint.tensor(name);
        long[] dims = tensor.shape().stream().mapToLong(Long::longValue).toArray();
        return g.floats(name, dims, tensor.toFloats());
    }
}
