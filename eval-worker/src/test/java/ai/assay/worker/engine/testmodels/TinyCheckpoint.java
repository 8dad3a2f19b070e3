package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tiny random Hugging Face checkpoints of each decoder family, written as {@code save_pretrained} writes them: a
 * {@code config.json} with the family's fields and real safetensors weights, one file or shards with
 * {@code model.safetensors.index.json}. Every weight is a multiple of 2^-10 with at most 8 significant bits, so it
 * is exact in fp32, fp16 and bf16 alike and a checkpoint means the same in each dtype.
 * <p>Shapes: vocabulary 37 (or {@link #withVocab}), 2 layers, 4 query heads over 2 key/value heads (GQA) of head_dim 8 (or {@link #withHeadDim}), hidden 32
 * (Qwen3: hidden 24 with its explicit head_dim 8, so head_dim ≠ hidden/heads is exercised), MLP 40.
 *
 * @param llama3Rope rope_scaling llama3 (factor 8, low 1, high 4, original 64: with head_dim 8 and theta 10000 the
 *     four frequencies fall one high, one medium, two low)
 * @param slidingWindow Mistral's window (written as null where null); ignored for other families
 */
public record TinyCheckpoint(
        DecoderFamily family,
        TensorDtype dtype,
        boolean tied,
        int shards,
        boolean llama3Rope,
        Integer slidingWindow,
        long seed,
        int vocab,
        int headDim) {

    public static final int VOCAB = 37;
    public static final int LAYERS = 2;
    public static final int HEADS = 4;
    public static final int KV_HEADS = 2;
    public static final int HEAD_DIM = 8;
    public static final int INTERMEDIATE = 40;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** fp32, untied, one file, plain rotary positions; Mistral with a window of 4. */
    public static TinyCheckpoint of(DecoderFamily family) {
        return new TinyCheckpoint(
                family,
                TensorDtype.F32,
                false,
                1,
                false,
                family == DecoderFamily.MISTRAL ? 4 : null,
                7,
                VOCAB,
                HEAD_DIM);
    }

    /** A vocabulary of {@code size} tokens instead of {@link #VOCAB}, to fit a test tokenizer. */
    public TinyCheckpoint withVocab(int size) {
        return new TinyCheckpoint(family, dtype, tied, shards, llama3Rope, slidingWindow, seed, size, headDim);
    }

    public TinyCheckpoint withDtype(TensorDtype d) {
        return new TinyCheckpoint(family, d, tied, shards, llama3Rope, slidingWindow, seed, vocab, headDim);
    }

    public TinyCheckpoint withTied(boolean t) {
        return new TinyCheckpoint(family, dtype, t, shards, llama3Rope, slidingWindow, seed, vocab, headDim);
    }

    public TinyCheckpoint withShards(int n) {
        return new TinyCheckpoint(family, dtype, tied, n, llama3Rope, slidingWindow, seed, vocab, headDim);
    }

    public TinyCheckpoint withLlama3Rope(boolean r) {
        return new TinyCheckpoint(family, dtype, tied, shards, r, slidingWindow, seed, vocab, headDim);
    }

    public TinyCheckpoint withSlidingWindow(Integer w) {
        return new TinyCheckpoint(family, dtype, tied, shards, llama3Rope, w, seed, vocab, headDim);
    }

    /**
     * A head_dim of {@code d} instead of {@link #HEAD_DIM} (hidden 4·d, Qwen3's stays 24): ONNX Runtime's
     * GroupQueryAttention takes multiples of 16 only.
     */
    public TinyCheckpoint withHeadDim(int d) {
        return new TinyCheckpoint(family, dtype, tied, shards, llama3Rope, slidingWindow, seed, vocab, d);
    }

    public int hidden() {
        return family == DecoderFamily.QWEN3 ? 24 : HEADS * headDim;
    }

    /** The {@code config.json} this checkpoint is written with; tests change it to make refused ones. */
    public ObjectNode configJson() {
        ObjectNode c = JSON.createObjectNode();
        String arch = switch (family) {
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
            case QWEN3 -> "Qwen3ForCausalLM";
        };
        c.putArray("architectures").add(arch);
        c.put("model_type", family.modelType());
        c.put("hidden_size", hidden());
        c.put("intermediate_size", INTERMEDIATE);
        c.put("num_hidden_layers", LAYERS);
        c.put("num_attention_heads", HEADS);
        c.put("num_key_value_heads", KV_HEADS);
        if (family == DecoderFamily.QWEN3) {
            c.put("head_dim", headDim);
        }
        c.put("vocab_size", vocab);
        c.put("max_position_embeddings", 64);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        if (llama3Rope) {
            ObjectNode s = c.putObject("rope_scaling");
            s.put("rope_type", "llama3");
            s.put("factor", 8.0);
            s.put("low_freq_factor", 1.0);
            s.put("high_freq_factor", 4.0);
            s.put("original_max_position_embeddings", 64);
        } else {
            c.putNull("rope_scaling");
        }
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", tied);
        switch (family) {
            case LLAMA -> {
                c.put("attention_bias", false);
                c.put("mlp_bias", false);
            }
            case MISTRAL -> {
                if (slidingWindow == null) {
                    c.putNull("sliding_window");
                } else {
                    c.put("sliding_window", slidingWindow);
                }
            }
            case QWEN2 -> {
                c.put("use_sliding_window", false);
                c.put("sliding_window", 4096);
            }
            case QWEN3 -> {
                c.put("attention_bias", false);
                c.put("use_sliding_window", false);
                c.putNull("sliding_window");
            }
        }
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put(
                "torch_dtype",
                switch (dtype) {
                    case F32 -> "float32";
                    case F16 -> "float16";
                    case BF16 -> "bfloat16";
                });
        c.put("transformers_version", "4.51.0");
        return c;
    }

    /** The tensors in state-dict order, random but fixed by the seed. */
    public List<SafetensorsWriter.Entry> tensors() {
        Random random = new Random(seed);
        long h = hidden();
        long q = (long) HEADS * headDim;
        long kv = (long) KV_HEADS * headDim;
        List<SafetensorsWriter.Entry> out = new ArrayList<>();
        out.add(matrix(random, "model.embed_tokens.weight", vocab, h, 256));
        for (int i = 0; i < LAYERS; i++) {
            String p = "model.layers." + i + ".";
            out.add(norm(random, p + "input_layernorm.weight", h));
            out.add(matrix(random, p + "self_attn.q_proj.weight", q, h, 1024 / 4));
            out.add(matrix(random, p + "self_attn.k_proj.weight", kv, h, 1024 / 4));
            out.add(matrix(random, p + "self_attn.v_proj.weight", kv, h, 1024 / 4));
            if (family.hasQkvBias()) {
                out.add(vector(random, p + "self_attn.q_proj.bias", q));
                out.add(vector(random, p + "self_attn.k_proj.bias", kv));
                out.add(vector(random, p + "self_attn.v_proj.bias", kv));
            }
            if (family.hasQkNorm()) {
                out.add(norm(random, p + "self_attn.q_norm.weight", headDim));
                out.add(norm(random, p + "self_attn.k_norm.weight", headDim));
            }
            out.add(matrix(random, p + "self_attn.o_proj.weight", h, q, 1024 / 2));
            out.add(norm(random, p + "post_attention_layernorm.weight", h));
            out.add(matrix(random, p + "mlp.gate_proj.weight", INTERMEDIATE, h, 1024 / 4));
            out.add(matrix(random, p + "mlp.up_proj.weight", INTERMEDIATE, h, 1024 / 4));
            out.add(matrix(random, p + "mlp.down_proj.weight", h, INTERMEDIATE, 1024 / 2));
        }
        out.add(norm(random, "model.norm.weight", h));
        if (!tied) {
            out.add(matrix(random, "lm_head.weight", vocab, h, 1024 / 4));
        }
        return out;
    }

    /** Writes {@code config.json} and the weights into {@code directory} (created), and returns it. */
    public Path writeTo(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("config.json"), configJson().toPrettyString());
            List<SafetensorsWriter.Entry> all = tensors();
            if (shards <= 1) {
                SafetensorsWriter.write(directory.resolve("model.safetensors"), all);
                return directory;
            }
            ObjectNode index = JSON.createObjectNode();
            ObjectNode weightMap = JSON.createObjectNode();
            long total = 0;
            int perShard = (all.size() + shards - 1) / shards;
            for (int s = 0; s < shards; s++) {
                String name = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
                List<SafetensorsWriter.Entry> part =
                        all.subList(Math.min(all.size(), s * perShard), Math.min(all.size(), (s + 1) * perShard));
                SafetensorsWriter.write(directory.resolve(name), part);
                for (SafetensorsWriter.Entry e : part) {
                    weightMap.put(e.name(), name);
                    total += (long) e.values().length * dtype.byteSize();
                }
            }
            index.putObject("metadata").put("total_size", total);
            index.set("weight_map", weightMap);
            Files.writeString(directory.resolve("model.safetensors.index.json"), index.toPrettyString());
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code config} and {@code tensors} as one {@code model.safetensors} into {@code directory}: for tests
     * that change a weight or the config of this checkpoint.
     */
    public static Path writeTo(Path directory, ObjectNode config, List<SafetensorsWriter.Entry> tensors) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("config.json"), config.toPrettyString());
            SafetensorsWriter.write(directory.resolve("model.safetensors"), tensors);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Values m / denominator, |m| < 256: 8 significant bits at most. */
    private SafetensorsWriter.Entry matrix(Random random, String name, long rows, long cols, int denominator) {
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (random.nextInt(511) - 255) / (float) denominator;
        }
        return SafetensorsWriter.Entry.of(name, dtype, List.of(rows, cols), v);
    }

    private SafetensorsWriter.Entry vector(Random random, String name, long n) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (random.nextInt(511) - 255) / 1024f;
        }
        return SafetensorsWriter.Entry.of(name, dtype, List.of(n), v);
    }

    /** Norm weights near 1: m / 128 for m in [96, 160]. */
    private SafetensorsWriter.Entry norm(Random random, String name, long n) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (96 + random.nextInt(65)) / 128f;
        }
        return SafetensorsWriter.Entry.of(name, dtype, List.of(n), v);
    }
}
