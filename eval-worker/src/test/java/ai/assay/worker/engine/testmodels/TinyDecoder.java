package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.graph.GraphBuilder.Attr;
import ai.assay.worker.engine.runtime.ElementType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Random-weight decoder-only transformers in the two ONNX export layouts the engine reads, built in Java:
 * <ul>
 *   <li>{@link Layout#OPTIMUM}: standard ops, learned positions read from {@code position_ids}, causal and padding
 *       mask built in the graph from {@code attention_mask}, {@code present.N.*} from Concat (works with left
 *       padding), grouped-query attention by broadcasting;</li>
 *   <li>{@link Layout#GENAI}: {@code com.microsoft.GroupQueryAttention} with rotary embeddings and no
 *       {@code position_ids}, {@code seqlens_k} and {@code total_sequence_length} derived from the mask (needs right
 *       padding), as the onnxruntime-genai model builder writes it.</li>
 * </ul>
 * With {@code ioType} fp16 or bf16 the model computes in float32 but its past, present and logits are in that
 * type (the KV cache is rounded to it before use, so incremental decoding still equals a full pass).
 */
public record TinyDecoder(
        Layout layout,
        int vocabSize,
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int maxPositions,
        ElementType ioType,
        long seed) {

    public enum Layout {
        OPTIMUM,
        GENAI
    }

    private static final int FLOAT = ElementType.FLOAT.code();
    private static final int INT64 = ElementType.INT64.code();

    /** 2 layers, hidden 64, 4 query / 2 KV heads of 16, vocabulary {@code vocab}, 128 positions, fp32. */
    public static TinyDecoder small(Layout layout, int vocab) {
        return new TinyDecoder(layout, vocab, 64, 2, 4, 2, 128, ElementType.FLOAT, 7);
    }

    public TinyDecoder withIoType(ElementType type) {
        return new TinyDecoder(layout, vocabSize, hidden, layers, heads, kvHeads, maxPositions, type, seed);
    }

    public TinyDecoder withSeed(long newSeed) {
        return new TinyDecoder(layout, vocabSize, hidden, layers, heads, kvHeads, maxPositions, ioType, newSeed);
    }

    public int headSize() {
        return hidden / heads;
    }

    /** Approximate parameter count. */
    public long parameters() {
        long d = headSize();
        long perLayer = (long) hidden * (heads * d) * 2 + (long) hidden * (kvHeads * d) * 2 + 8L * hidden * hidden;
        return (long) vocabSize * hidden * 2 + (long) maxPositions * hidden + layers * perLayer;
    }

    /** Writes model.onnx and genai_config.json (genai layout) or config.json (Optimum) into {@code directory}. */
    public Path writeTo(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve("model.onnx"), build());
            if (layout == Layout.GENAI) {
                Files.writeString(directory.resolve("genai_config.json"), genaiConfig());
            } else {
                Files.writeString(
                        directory.resolve("config.json"),
                        "{\"model_type\": \"tiny\", \"max_position_embeddings\": " + maxPositions + "}\n");
            }
            return directory.resolve("model.onnx");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String genaiConfig() {
        return """
                {
                  "model": {
                    "bos_token_id": 1,
                    "context_length": %d,
                    "decoder": {
                      "filename": "model.onnx",
                      "head_size": %d,
                      "hidden_size": %d,
                      "num_attention_heads": %d,
                      "num_hidden_layers": %d,
                      "num_key_value_heads": %d,
                      "inputs": {
                        "input_ids": "input_ids",
                        "attention_mask": "attention_mask",
                        "past_key_names": "past_key_values.%%d.key",
                        "past_value_names": "past_key_values.%%d.value"
                      },
                      "outputs": {
                        "logits": "logits",
                        "present_key_names": "present.%%d.key",
                        "present_value_names": "present.%%d.value"
                      }
                    },
                    "eos_token_id": 2,
                    "pad_token_id": 0,
                    "type": "llama",
                    "vocab_size": %d
                  },
                  "search": { "max_length": %d, "past_present_share_buffer": true }
                }
                """.formatted(maxPositions, headSize(), hidden, heads, layers, kvHeads, vocabSize, maxPositions);
    }

    public byte[] build() {
        Random random = new Random(seed);
        GraphBuilder g = new GraphBuilder("tiny_decoder");
        int d = headSize();
        String ids = g.input("input_ids", INT64, "batch_size", "sequence_length");
        String mask = g.input("attention_mask", INT64, "batch_size", "total_sequence_length");
        String positions =
                layout == Layout.OPTIMUM ? g.input("position_ids", INT64, "batch_size", "sequence_length") : null;
        String[] pastKeys = new String[layers];
        String[] pastValues = new String[layers];
        for (int l = 0; l < layers; l++) {
            pastKeys[l] = g.input(
                    "past_key_values." + l + ".key",
                    ioType.code(),
                    "batch_size",
                    (long) kvHeads,
                    "past_sequence_length",
                    (long) d);
            pastValues[l] = g.input(
                    "past_key_values." + l + ".value",
                    ioType.code(),
                    "batch_size",
                    (long) kvHeads,
                    "past_sequence_length",
                    (long) d);
        }
        String x = g.op("Gather", weight(g, "embed", random, 1.0f, vocabSize, hidden), ids, Attr.of("axis", 0L));
        String bias = null;
        String seqlens = null;
        String total = null;
        if (layout == Layout.OPTIMUM) {
            x = g.op(
                    "Add",
                    x,
                    g.op(
                            "Gather",
                            weight(g, "positions", random, 0.5f, maxPositions, hidden),
                            positions,
                            Attr.of("axis", 0L)));
            bias = attentionBias(g, ids, mask);
        } else {
            String lengths = g.op("ReduceSum", new String[] {mask, g.longConstant(1)}, Attr.of("keepdims", 0L));
            seqlens =
                    g.op("Cast", g.op("Sub", lengths, g.longScalar(1)), Attr.of("to", (long) ElementType.INT32.code()));
            String width = g.op("Gather", g.op("Shape", mask), g.longScalar(1), Attr.of("axis", 0L));
            total = g.op("Cast", width, Attr.of("to", (long) ElementType.INT32.code()));
        }
        String cos = null;
        String sin = null;
        if (layout == Layout.GENAI) {
            float[] cosValues = new float[maxPositions * d / 2];
            float[] sinValues = new float[maxPositions * d / 2];
            for (int p = 0; p < maxPositions; p++) {
                for (int i = 0; i < d / 2; i++) {
                    double angle = p * Math.pow(10000, -2.0 * i / d);
                    cosValues[p * d / 2 + i] = (float) Math.cos(angle);
                    sinValues[p * d / 2 + i] = (float) Math.sin(angle);
                }
            }
            cos = g.floats("cos_cache", new long[] {maxPositions, d / 2}, cosValues);
            sin = g.floats("sin_cache", new long[] {maxPositions, d / 2}, sinValues);
        }
        float scale = (float) (1 / Math.sqrt(hidden));
        for (int l = 0; l < layers; l++) {
            String h = layerNorm(g, x, "ln1_" + l);
            String q = g.op("MatMul", h, weight(g, "wq_" + l, random, scale, hidden, heads * d));
            String k = g.op("MatMul", h, weight(g, "wk_" + l, random, scale, hidden, kvHeads * d));
            String v = g.op("MatMul", h, weight(g, "wv_" + l, random, scale, hidden, kvHeads * d));
            String attention;
            String presentKey;
            String presentValue;
            if (layout == Layout.OPTIMUM) {
                String[] result = standardAttention(g, q, k, v, pastKeys[l], pastValues[l], bias);
                attention = result[0];
                presentKey = result[1];
                presentValue = result[2];
            } else {
                String[] gqa = g.node(
                        "com.microsoft",
                        "GroupQueryAttention",
                        3,
                        new String[] {
                            q, k, v, toFloat(g, pastKeys[l]), toFloat(g, pastValues[l]), seqlens, total, cos, sin
                        },
                        Attr.of("num_heads", (long) heads),
                        Attr.of("kv_num_heads", (long) kvHeads),
                        Attr.of("do_rotary", 1L));
                attention = gqa[0];
                presentKey = fromFloat(g, gqa[1]);
                presentValue = fromFloat(g, gqa[2]);
            }
            g.output(
                    "present." + l + ".key",
                    presentKey,
                    ioType.code(),
                    "batch_size",
                    (long) kvHeads,
                    "total_sequence_length",
                    (long) d);
            g.output(
                    "present." + l + ".value",
                    presentValue,
                    ioType.code(),
                    "batch_size",
                    (long) kvHeads,
                    "total_sequence_length",
                    (long) d);
            x = g.op("Add", x, g.op("MatMul", attention, weight(g, "wo_" + l, random, scale, heads * d, hidden)));
            String h2 = layerNorm(g, x, "ln2_" + l);
            String up = g.op("MatMul", h2, weight(g, "w1_" + l, random, scale, hidden, 4 * hidden));
            String act = g.op("Mul", up, g.op("Sigmoid", up));
            x = g.op(
                    "Add",
                    x,
                    g.op(
                            "MatMul",
                            act,
                            weight(g, "w2_" + l, random, (float) (1 / Math.sqrt(4.0 * hidden)), 4 * hidden, hidden)));
        }
        String logits = g.op("MatMul", layerNorm(g, x, "ln_f"), weight(g, "lm_head", random, 1.0f, hidden, vocabSize));
        g.output("logits", fromFloat(g, logits), ioType.code(), "batch_size", "sequence_length", (long) vocabSize);
        return g.toBytes();
    }

    /** Returns [attention output [B,S,H], present key, present value]. */
    private String[] standardAttention(
            GraphBuilder g, String q, String k, String v, String pastKey, String pastValue, String bias) {
        int d = headSize();
        int group = heads / kvHeads;
        String q5 = g.op(
                "Transpose",
                g.op("Reshape", q, g.longConstant(0, 0, kvHeads, group, d)),
                Attr.ints("perm", 0, 2, 3, 1, 4));
        String k4 =
                g.op("Transpose", g.op("Reshape", k, g.longConstant(0, 0, kvHeads, d)), Attr.ints("perm", 0, 2, 1, 3));
        String v4 =
                g.op("Transpose", g.op("Reshape", v, g.longConstant(0, 0, kvHeads, d)), Attr.ints("perm", 0, 2, 1, 3));
        String presentKey = g.op("Concat", pastKey, fromFloat(g, k4), Attr.of("axis", 2L));
        String presentValue = g.op("Concat", pastValue, fromFloat(g, v4), Attr.of("axis", 2L));
        String keys = g.op(
                "Transpose",
                g.op("Unsqueeze", toFloat(g, presentKey), g.longConstant(2)),
                Attr.ints("perm", 0, 1, 2, 4, 3));
        String scores = g.op("Mul", g.op("MatMul", q5, keys), g.floatScalar((float) (1 / Math.sqrt(d))));
        String weights = g.op("Softmax", g.op("Add", scores, bias), Attr.of("axis", -1L));
        String values = g.op("Unsqueeze", toFloat(g, presentValue), g.longConstant(2));
        String out = g.op("Transpose", g.op("MatMul", weights, values), Attr.ints("perm", 0, 3, 1, 2, 4));
        return new String[] {g.op("Reshape", out, g.longConstant(0, 0, (long) heads * d)), presentKey, presentValue};
    }

    /** [B,1,1,S,T] float: 0 where query i may see key j (j ≤ i's absolute position and mask[j] = 1), else -1e9. */
    private static String attentionBias(GraphBuilder g, String ids, String mask) {
        String total = g.op("Gather", g.op("Shape", mask), g.longScalar(1), Attr.of("axis", 0L));
        String length = g.op("Gather", g.op("Shape", ids), g.longScalar(1), Attr.of("axis", 0L));
        String start = g.op("Sub", total, length);
        String keys = g.op("Range", new String[] {g.longScalar(0), total, g.longScalar(1)});
        String queries =
                g.op("Unsqueeze", g.op("Range", new String[] {start, total, g.longScalar(1)}), g.longConstant(1));
        String causal = g.op("LessOrEqual", keys, queries);
        String padding = g.op(
                "Unsqueeze",
                g.op("Cast", mask, Attr.of("to", (long) ElementType.BOOL.code())),
                g.longConstant(1, 2, 3));
        String allowed = g.op("And", causal, padding);
        return g.op("Where", new String[] {allowed, g.floatScalar(0), g.floatScalar(-1e9f)});
    }

    private String layerNorm(GraphBuilder g, String x, String name) {
        float[] ones = new float[hidden];
        java.util.Arrays.fill(ones, 1);
        String gamma = g.floats(name + "_g", new long[] {hidden}, ones);
        String beta = g.floats(name + "_b", new long[] {hidden}, new float[hidden]);
        return g.op(
                "LayerNormalization", new String[] {x, gamma, beta}, Attr.of("axis", -1L), Attr.of("epsilon", 1e-5f));
    }

    private String toFloat(GraphBuilder g, String value) {
        return ioType == ElementType.FLOAT ? value : g.op("Cast", value, Attr.of("to", (long) FLOAT));
    }

    private String fromFloat(GraphBuilder g, String value) {
        return ioType == ElementType.FLOAT ? value : g.op("Cast", value, Attr.of("to", (long) ioType.code()));
    }

    private static String weight(GraphBuilder g, String name, Random random, float scale, int rows, int cols) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return g.floats(name, new long[] {rows, cols}, values);
    }
}
