package ai.assay.worker.engine.testmodels;

import ai.assay.worker.engine.checkpoint.TensorDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes safetensors files as huggingface/safetensors' {@code serialize} lays them out (header length, JSON header,
 * tensors back to back in header order), and raw ones whose header says whatever a test needs.
 */
public final class SafetensorsWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One tensor to write: float values stored as {@code dtype}, which must represent each exactly. */
    public record Entry(String name, TensorDtype dtype, List<Long> shape, float[] values) {

        public static Entry of(String name, TensorDtype dtype, List<Long> shape, float[] values) {
            return new Entry(name, dtype, shape, values);
        }
    }

    private SafetensorsWriter() {}

    public static void write(Path file, List<Entry> tensors) {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Entry e : tensors) {
            long bytes = (long) e.values.length * e.dtype.byteSize();
            ObjectNode info = header.putObject(e.name);
            info.put("dtype", e.dtype.headerName());
            e.shape.forEach(info.putArray("shape")::add);
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        ByteBuffer data = ByteBuffer.allocate((int) offset).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : tensors) {
            for (float v : e.values) {
                switch (e.dtype) {
                    case F32 -> data.putFloat(v);
                    case F16 -> data.putShort(toHalfExactly(v));
                    case BF16 -> data.putShort(toBfloat16Exactly(v));
                }
            }
        }
        writeRaw(file, header.toString(), data.array());
    }

    /** A file of the given header text (padded with spaces to 8 bytes, as upstream pads) and data bytes. */
    public static void writeRaw(Path file, String header, byte[] data) {
        byte[] text = header.getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(text);
        for (int i = text.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.put(data);
        try {
            Files.write(file, out.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static short toBfloat16Exactly(float v) {
        int bits = Float.floatToRawIntBits(v);
        if ((bits & 0xFFFF) != 0) {
            throw new IllegalArgumentException(v + " is not a bfloat16 value");
        }
        return (short) (bits >>> 16);
    }

    /** Normal halves only: the test weights are multiples of 2^-10 below 2^6, all exact in binary16. */
    static short toHalfExactly(float v) {
        if (v == 0) {
            return (short) (Float.floatToRawIntBits(v) >>> 16);
        }
        int bits = Float.floatToRawIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = bits & 0x7FFFFF;
        if (exponent <= 0 || exponent >= 31 || (mantissa & 0x1FFF) != 0) {
            throw new IllegalArgumentException(v + " is not a normal binary16 value");
        }
        return (short) (sign | (exponent << 10) | (mantissa >>> 13));
    }
}
