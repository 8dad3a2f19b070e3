package ai.assay.worker.engine.builder;

import ai.assay.worker.engine.checkpoint.Tensor;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.runtime.ElementType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * The external data file of a built graph: each checkpoint tensor is streamed from its memory mapping into the
 * file in the graph's element type (float32, float16 or bfloat16), in chunks of {@link #CHUNK_ELEMENTS}, so the
 * build's memory stays one chunk (and two chunk-sized arrays) whatever the model's size and the Java heap never holds
 * a weight tensor. A tensor
 * already in the graph's type is copied as it is; others are converted with round-to-nearest-even. Each tensor
 * starts at a multiple of {@link #ALIGNMENT}, which lets ONNX Runtime map the file instead of copying it where it
 * can.
 */
final class ExternalWeights implements AutoCloseable {

    static final String FILE_NAME = "model.onnx.data";
    static final long ALIGNMENT = 4096;
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private final FileChannel channel;
    private final ElementType type;
    private final ByteBuffer chunk;
    private final float[] floats = new float[CHUNK_ELEMENTS];
    private final short[] shorts = new short[CHUNK_ELEMENTS];
    private long end;

    /** @param type the element type every tensor is written in: FLOAT, FLOAT16 or BFLOAT16 */
    ExternalWeights(Path directory, ElementType type) throws IOException {
        if (type != ElementType.FLOAT && type != ElementType.FLOAT16 && type != ElementType.BFLOAT16) {
            throw new IllegalArgumentException("weights are written as fp32, fp16 or bf16, not " + type.shortName());
        }
        this.type = type;
        this.chunk = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        channel =
                FileChannel.open(directory.resolve(FILE_NAME), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    ElementType type() {
        return type;
    }

    /** Writes {@code tensor} with {@code dims} (its element count unchanged; default its shape) and declares it. */
    String add(GraphBuilder g, String name, Tensor tensor, long... dims) throws IOException {
        return addConcatenated(g, name, List.of(tensor), dims.length == 0 ? shape(tensor) : dims);
    }

    /**
     * Writes {@code parts} one after the other as one tensor of {@code dims}: for [out, in] weights of one input
     * size that is their concatenation along the output axis (q, k and v as one packed projection).
     */
    String addConcatenated(GraphBuilder g, String name, List<Tensor> parts, long... dims) throws IOException {
        long offset = aligned();
        long position = offset;
        long count = 0;
        for (Tensor part : parts) {
            position = write(part, position);
            count += part.elementCount();
        }
        return declare(g, name, dims, offset, position, count);
    }

    /** Writes {@code count} computed values ({@code value(i)} for the i-th in row-major order) as a tensor. */
    String addComputed(GraphBuilder g, String name, long[] dims, LongToDoubleFunction value) throws IOException {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        long offset = aligned();
        long position = offset;
        for (long first = 0; first < count; first += CHUNK_ELEMENTS) {
            int n = (int) Math.min(CHUNK_ELEMENTS, count - first);
            for (int i = 0; i < n; i++) {
                floats[i] = (float) value.applyAsDouble(first + i);
            }
            position = flush(n, position);
        }
        return declare(g, name, dims, offset, position, count);
    }

    private long write(Tensor tensor, long position) throws IOException {
        ByteBuffer source = tensor.data();
        TensorDtype dtype = tensor.dtype();
        if (sameType(dtype)) {
            while (source.hasRemaining()) {
                position += channel.write(source, position);
            }
            return position;
        }
        // bulk reads and writes through typed views: element-wise ByteBuffer access is several times slower
        long count = tensor.elementCount();
        for (long first = 0; first < count; first += CHUNK_ELEMENTS) {
            int n = (int) Math.min(CHUNK_ELEMENTS, count - first);
            int start = Math.toIntExact(first);
            if (dtype == TensorDtype.F32) {
                source.asFloatBuffer().get(start, floats, 0, n);
            } else {
                source.asShortBuffer().get(start, shorts, 0, n);
                if (dtype == TensorDtype.F16) {
                    for (int i = 0; i < n; i++) {
                        floats[i] = TensorDtype.halfToFloat(shorts[i]);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        floats[i] = TensorDtype.bfloat16ToFloat(shorts[i]);
                    }
                }
            }
            position = flush(n, position);
        }
        return position;
    }

    private boolean sameType(TensorDtype dtype) {
        return switch (dtype) {
            case F32 -> type == ElementType.FLOAT;
            case F16 -> type == ElementType.FLOAT16;
            case BF16 -> type == ElementType.BFLOAT16;
        };
    }

    /** Writes {@code floats[0, n)} in the file's type at {@code position}; returns the position after them. */
    private long flush(int n, long position) throws IOException {
        chunk.clear();
        switch (type) {
            case FLOAT -> chunk.asFloatBuffer().put(floats, 0, n);
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    shorts[i] = TensorDtype.floatToHalf(floats[i]);
                }
                chunk.asShortBuffer().put(shorts, 0, n);
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    shorts[i] = TensorDtype.floatToBfloat16(floats[i]);
                }
                chunk.asShortBuffer().put(shorts, 0, n);
            }
        }
        chunk.limit(n * type.bytes());
        while (chunk.hasRemaining()) {
            position += channel.write(chunk, position);
        }
        return position;
    }

    private long aligned() {
        return (end + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private String declare(GraphBuilder g, String name, long[] dims, long offset, long position, long count) {
        long length = count * type.bytes();
        if (position - offset != length) {
            throw new IllegalStateException(name + ": wrote " + (position - offset) + " bytes for " + length);
        }
        end = position;
        return g.external(name, type.code(), dims, FILE_NAME, offset, length);
    }

    /** Forces the file to disk, so a build marked complete is complete after a crash. */
    void force() throws IOException {
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static long[] shape(Tensor tensor) {
        return tensor.shape().stream().mapToLong(Long::longValue).toArray();
    }
}
