package ai.assay.worker.engine.devicecheck;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random-weight checkpoints of real model shapes: {@code config.json} and the tensors it implies
 * ({@link DecoderConfig#expectedTensors}) in one {@code model.safetensors}, as transformers'
 * {@code save_pretrained} would lay them out, so both the checkpoint builder and transformers' {@code from_pretrained}
 * load it. Matrices are uniform in ±0.03 (about the spread of a trained model's), norm weights 1. Each tensor is cut
 * into chunks of {@value #CHUNK} values, each with its own seed from the checkpoint's seed and its place, and the
 * chunks are generated and written in parallel at their offsets: the file is the same whatever the thread count, and
 * an 8B checkpoint (16 GB in bf16) is written in well under a minute on a few cores without being held in memory.
 */
public final class RandomCheckpointWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CHUNK = 1 << 20;

    private RandomCheckpointWriter() {}

    /** A Llama config of the given shape with Llama 3's rope, norm and activation settings. */
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

    /** The number of parameters {@code config} implies (a tied output projection counted once). */
    public static long parameters(ObjectNode config) {
        return DecoderConfig.parse(config.toString()).expectedTensors().values().stream()
                .mapToLong(RandomCheckpointWriter::count)
                .sum();
    }

    /**
     * Writes {@code config} and random weights in {@code dtype} into {@code directory} (which must not hold a
     * {@code model.safetensors} yet) on {@code threads} threads; returns the directory.
     */
    public static Path write(Path directory, ObjectNode config, TensorDtype dtype, long seed, int threads) {
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
            long dataStart = 8L + headerBytes.length;
            List<Chunk> chunks = new ArrayList<>();
            long position = dataStart;
            int tensorIndex = 0;
            for (Map.Entry<String, List<Long>> t : tensors.entrySet()) {
                boolean norm = t.getValue().size() == 1 && t.getKey().endsWith("norm.weight");
                long values = count(t.getValue());
                int chunkIndex = 0;
                for (long done = 0; done < values; done += CHUNK) {
                    int n = (int) Math.min(CHUNK, values - done);
                    chunks.add(new Chunk(position, n, norm, seed * 1_000_003L + tensorIndex * 65_537L + chunkIndex));
                    position += (long) n * dtype.byteSize();
                    chunkIndex++;
                }
                tensorIndex++;
            }
            try (FileChannel out = FileChannel.open(
                    directory.resolve("model.safetensors"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(headerBytes.length).put(headerBytes).flip();
                writeFully(out, head, 0);
                writeChunks(out, chunks, dtype, Math.max(1, threads));
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Chunk(long position, int values, boolean norm, long seed) {}

    private static void writeChunks(FileChannel out, List<Chunk> chunks, TensorDtype dtype, int threads)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "random-checkpoint-writer");
            thread.setDaemon(true);
            return thread;
        });
        ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(
                () -> ByteBuffer.allocateDirect(CHUNK * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN));
        try {
            List<Future<?>> done = new ArrayList<>(chunks.size());
            for (Chunk chunk : chunks) {
                done.add(pool.submit(() -> {
                    ByteBuffer buffer = buffers.get();
                    buffer.clear();
                    fill(buffer, chunk, dtype);
                    buffer.flip();
                    writeFully(out, buffer, chunk.position());
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the checkpoint", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void fill(ByteBuffer buffer, Chunk chunk, TensorDtype dtype) {
        SplittableRandom random = new SplittableRandom(chunk.seed());
        for (int i = 0; i < chunk.values(); i++) {
            // 24 random bits scaled onto [-0.03, 0.03)
            float v = chunk.norm() ? 1f : (random.nextInt() >>> 8) * (0.06f / (1 << 24)) - 0.03f;
            switch (dtype) {
                case F32 -> buffer.putFloat(v);
                case F16 -> buffer.putShort(TensorDtype.floatToHalf(v));
                case BF16 -> buffer.putShort(TensorDtype.floatToBfloat16(v));
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += out.write(buffer, at);
        }
    }

    private static long count(List<Long> shape) {
        return shape.stream().reduce(1L, (a, b) -> a * b);
    }
}
