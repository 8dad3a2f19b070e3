package ai.assay.worker.engine.checkpoint;

import ai.assay.worker.engine.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One safetensors file, read as the format's reference implementation (huggingface/safetensors, Rust crate
 * {@code safetensors::SafeTensors::read_metadata}) reads it: an 8-byte little-endian header length N, N bytes of
 * JSON ({@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}}), then the
 * data, the offsets relative to its start. As upstream, the tensors must tile the data exactly: sorted by offset,
 * each begins where the previous ends, each spans shape × element size bytes, and the last ends at the file's end;
 * anything else (a truncated file, a header that lies about sizes, overlaps, gaps) is refused naming the file and
 * the tensor.
 * <p>Hand-written: there is no well-kept Java safetensors reader on Maven Central. The format's implementation is
 * huggingface/safetensors (Rust, with Python bindings); the readers found besides are for Elixir (Nx), Ruby, R,
 * JavaScript, .NET and Go, none published for Java, and the build's Maven Central index lists no safetensors artifact.
 * The format is small enough to read here, with the strictness upstream applies.
 * <p>Each tensor is mapped on its own, so a file may exceed 2 GiB while one tensor may not: a Llama 3 70B embedding
 * (2.1 GB in bf16) fits, a Qwen2.5-72B one (2.5 GB) is refused by name until mapping in pieces is needed. The channel is closed once mapped, and a mapping is released when its buffers
 * become unreachable (Java 17 has no explicit unmap), which {@link HfCheckpoint#close} arranges.
 */
final class SafetensorsFile {

    /** Upstream's {@code MAX_HEADER_SIZE}: a header above 100 MB is refused before it is read. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SafetensorsFile() {}

    /** Reads and validates the header of {@code file} and maps every tensor in it, by name in header order. */
    static Map<String, Tensor> read(Path file) {
        String name = file.getFileName().toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new ModelLoadException(
                        name + ": truncated: " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new ModelLoadException(name + ": header length " + Long.toUnsignedString(headerLength)
                        + " is above the " + MAX_HEADER_BYTES + "-byte limit");
            }
            if (8 + headerLength > size) {
                throw new ModelLoadException(name + ": header length " + headerLength + " runs past the end of the "
                        + size + "-byte file (truncated?)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            List<Entry> entries = parseHeader(name, new String(headerBytes.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            checkTiling(name, entries, size - dataStart);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                long length = e.end - e.begin;
                if (length > Integer.MAX_VALUE) {
                    throw new ModelLoadException(name + ": tensor " + e.name + " is " + length
                            + " bytes, above the 2 GiB a mapping may hold");
                }
                ByteBuffer data = length == 0
                        ? ByteBuffer.allocate(0)
                        : channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, length);
                tensors.put(e.name, Tensor.mapped(e.name, e.dtype, e.shape, name, data.asReadOnlyBuffer()));
            }
            return tensors;
        } catch (IOException e) {
            throw new ModelLoadException(name + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private record Entry(String name, TensorDtype dtype, List<Long> shape, long begin, long end) {}

    private static List<Entry> parseHeader(String file, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new ModelLoadException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelLoadException(file + ": header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : root.properties()) {
            String tensor = property.getKey();
            if (tensor.equals("__metadata__")) {
                continue;
            }
            JsonNode info = property.getValue();
            if (!info.isObject()) {
                throw new ModelLoadException(file + ": tensor " + tensor + ": header entry is not an object");
            }
            JsonNode dtypeNode = info.get("dtype");
            if (dtypeNode == null || !dtypeNode.isString()) {
                throw new ModelLoadException(file + ": tensor " + tensor + ": no dtype");
            }
            TensorDtype dtype = TensorDtype.ofHeaderName(dtypeNode.stringValue())
                    .orElseThrow(() -> new ModelLoadException(file + ": tensor " + tensor + ": dtype "
                            + dtypeNode.stringValue() + " is not read (F32, F16 and BF16 are)"));
            List<Long> shape = nonNegativeLongs(file, tensor, "shape", info.get("shape"));
            List<Long> offsets = nonNegativeLongs(file, tensor, "data_offsets", info.get("data_offsets"));
            if (offsets.size() != 2 || offsets.get(0) > offsets.get(1)) {
                throw new ModelLoadException(file + ": tensor " + tensor + ": data_offsets " + offsets
                        + " is not [begin, end] with begin <= end");
            }
            long expected = byteCount(file, tensor, dtype, shape);
            long actual = offsets.get(1) - offsets.get(0);
            if (actual != expected) {
                throw new ModelLoadException(file + ": tensor " + tensor + ": data_offsets " + offsets + " span "
                        + actual + " bytes but shape " + shape + " of " + dtype.headerName() + " needs " + expected);
            }
            entries.add(new Entry(tensor, dtype, shape, offsets.get(0), offsets.get(1)));
        }
        return entries;
    }

    private static void checkTiling(String file, List<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long position = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.begin < position) {
                throw new ModelLoadException(file + ": tensor " + e.name + ": data_offsets [" + e.begin + ", " + e.end
                        + "] overlap tensor " + previous);
            }
            if (e.begin > position) {
                throw new ModelLoadException(file + ": tensor " + e.name + ": data_offsets [" + e.begin + ", " + e.end
                        + "] leave a gap after byte " + position + " of the data");
            }
            if (e.end > dataLength) {
                throw new ModelLoadException(file + ": tensor " + e.name + ": data_offsets [" + e.begin + ", " + e.end
                        + "] run past the end of the " + dataLength + "-byte data (truncated?)");
            }
            position = e.end;
            previous = e.name;
        }
        if (position != dataLength) {
            throw new ModelLoadException(file + ": " + (dataLength - position)
                    + " bytes after the last tensor that no header entry describes");
        }
    }

    private static long byteCount(String file, String tensor, TensorDtype dtype, List<Long> shape) {
        try {
            long count = dtype.byteSize();
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            return count;
        } catch (ArithmeticException e) {
            throw new ModelLoadException(file + ": tensor " + tensor + ": shape " + shape + " overflows");
        }
    }

    private static List<Long> nonNegativeLongs(String file, String tensor, String field, JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new ModelLoadException(file + ": tensor " + tensor + ": no " + field + " array");
        }
        List<Long> values = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new ModelLoadException(
                        file + ": tensor " + tensor + ": " + field + " holds " + v + ", not a non-negative integer");
            }
            values.add(v.longValue());
        }
        return values;
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int read = channel.read(into, position + into.position());
            if (read < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
