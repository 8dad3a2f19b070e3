package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.checkpoint.DecoderConfig;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random-weight checkpoints of real model shapes (a Llama 3.2 1B, say) for benchmarks: the tensors the config
 * implies ({@link DecoderConfig#expectedTensors}) streamed into one {@code model.safetensors} through a small
 * buffer, so a checkpoint of several GB is written without holding it. Matrices are uniform in ±0.03 (about the
 * spread of a trained model's), norm weights 1. Unlike {@link TinyCheckpoint}, nothing here is exact in every dtype:
 * these checkpoints are for measuring, not for comparing with the oracle.
 */
public final class RandomCheckpoint {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BUFFER = 8 << 20;

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
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("hidden_size", hidden);
        c.put("intermediate_size", intermediate);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kvHeads);
        c.put("head_dim", headDim);
        c.put("vocab_size", vocab);
        c.put("max_position_embeddings", 131072);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 500000.0);
        ObjectNode s = c.putObject("rope_scaling");
        s.put("rope_type", "llama3");
        s.put("factor", 32.0);
        s.put("low_freq_factor", 1.0);
        s.put("high_freq_factor", 4.0);
        s.put("original_max_position_embeddings", 8192);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", tied);
        c.put("attention_bias", false);
        c.put("mlp_bias", false);
        c.put(
                "torch_dtype",
                switch (dtype) {
                    case F32 -> "float32";
                    case F16 -> "float16";
                    case BF16 -> "bfloat16";
                });
        return c;
    }

    /** Writes {@code config} and random weights in {@code dtype} into {@code directory}; returns it. */
    public static Path write(Path directory, ObjectNode config, TensorDtype dtype, long seed) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("config.json"), config.toPrettyString());
            Map<String, List<Long>> tensors =
                    DecoderConfig.parse(config.toString()).expectedTensors();
            ObjectNode header = JSON.createObjectNode();
            header.putObject("__metadata__").put("format", "pt");
            long offset = 0;
            for (Map.Entry<String, List<Long>> t : tensors.entrySet()) {
                long bytes = count(t.getValue()) * dtype.byteSize();
                ObjectNode info = header.putObject(t.getKey());
                info.put("dtype", dtype.headerName());
                t.getValue().forEach(info.putArray("shape")::add);
                info.putArray("data_offsets").add(offset).add(offset + bytes);
                offset += bytes;
            }
            StringBuilder text = new StringBuilder(header.toString());
            while (text.length() % 8 != 0) {
                text.append(' ');
            }
            byte[] headerBytes = text.toString().getBytes(StandardCharsets.UTF_8);
            SplittableRandom random = new SplittableRandom(seed);
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel out = FileChannel.open(
                    directory.resolve("model.safetensors"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                buffer.putLong(headerBytes.length).put(headerBytes);
                for (Map.Entry<String, List<Long>> t : tensors.entrySet()) {
                    boolean norm = t.getValue().size() == 1 && t.getKey().endsWith("norm.weight");
                    for (long i = count(t.getValue()); i > 0; i--) {
                        if (buffer.remaining() < 4) {
                            drain(buffer, out);
                        }
                        float v = norm ? 1f : (float) (random.nextDouble() * 0.06 - 0.03);
                        switch (dtype) {
                            case F32 -> buffer.putFloat(v);
                            case F16 -> buffer.putShort(TensorDtype.floatToHalf(v));
                            case BF16 -> buffer.putShort(TensorDtype.floatToBfloat16(v));
                        }
                    }
                }
                drain(buffer, out);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of parameters {@code config} implies. */
    public static long parameters(ObjectNode config) {
        return DecoderConfig.parse(config.toString()).expectedTensors().values().stream()
                .mapToLong(RandomCheckpoint::count)
                .sum();
    }

    private static void drain(ByteBuffer buffer, FileChannel out) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    private static long count(List<Long> shape) {
        return shape.stream().reduce(1L, (a, b) -> a * b);
    }
}
