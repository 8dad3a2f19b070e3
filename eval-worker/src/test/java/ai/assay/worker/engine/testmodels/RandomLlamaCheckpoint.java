package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.node.ObjectNode;

/**
 * A random Llama checkpoint of any shape, in bf16 as trainers save them, for benchmarks: {@link TinyCheckpoint}'s
 * {@code config.json} with the shape replaced, and weights m / 4096 for m in [−127, 127] (exact in bf16, about the
 * spread of an initialised Llama's), norm weights 1. Untied embeddings, plain rotary positions.
 */
public record RandomLlamaCheckpoint(
        int vocab, int hidden, int layers, int heads, int kvHeads, int intermediate, int maxPositions, long seed) {

    public int headDim() {
        return hidden / heads;
    }

    /** Weights, embeddings and the logit projection included. */
    public long parameters() {
        long d = headDim();
        long attention = (long) hidden * heads * d * 2 + (long) hidden * kvHeads * d * 2;
        long mlp = 3L * hidden * intermediate;
        return 2L * vocab * hidden + layers * (attention + mlp + 2L * hidden) + hidden;
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code directory} (created), and returns it. */
    public Path writeTo(Path directory) {
        ObjectNode config = TinyCheckpoint.of(DecoderFamily.LLAMA).configJson();
        config.put("hidden_size", hidden);
        config.put("intermediate_size", intermediate);
        config.put("num_hidden_layers", layers);
        config.put("num_attention_heads", heads);
        config.put("num_key_value_heads", kvHeads);
        config.put("vocab_size", vocab);
        config.put("max_position_embeddings", maxPositions);
        config.put("torch_dtype", "bfloat16");
        return TinyCheckpoint.writeTo(directory, config, tensors());
    }

    private List<SafetensorsWriter.Entry> tensors() {
        Random random = new Random(seed);
        long d = headDim();
        List<SafetensorsWriter.Entry> out = new ArrayList<>();
        out.add(matrix(random, "model.embed_tokens.weight", vocab, hidden));
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            out.add(ones(p + "input_layernorm.weight", hidden));
            out.add(matrix(random, p + "self_attn.q_proj.weight", heads * d, hidden));
            out.add(matrix(random, p + "self_attn.k_proj.weight", kvHeads * d, hidden));
            out.add(matrix(random, p + "self_attn.v_proj.weight", kvHeads * d, hidden));
            out.add(matrix(random, p + "self_attn.o_proj.weight", hidden, heads * d));
            out.add(ones(p + "post_attention_layernorm.weight", hidden));
            out.add(matrix(random, p + "mlp.gate_proj.weight", intermediate, hidden));
            out.add(matrix(random, p + "mlp.up_proj.weight", intermediate, hidden));
            out.add(matrix(random, p + "mlp.down_proj.weight", hidden, intermediate));
        }
        out.add(ones("model.norm.weight", hidden));
        out.add(matrix(random, "lm_head.weight", vocab, hidden));
        return out;
    }

    private static SafetensorsWriter.Entry matrix(Random random, String name, long rows, long cols) {
        float[] v = new float[Math.toIntExact(rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (random.nextInt(255) - 127) / 4096f;
        }
        return SafetensorsWriter.Entry.of(name, TensorDtype.BF16, List.of(rows, cols), v);
    }

    private static SafetensorsWriter.Entry ones(String name, long n) {
        float[] v = new float[(int) n];
        java.util.Arrays.fill(v, 1f);
        return SafetensorsWriter.Entry.of(name, TensorDtype.BF16, List.of(n), v);
    }
}
