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

/**
 * The external data file of a built graph: each checkpoint tensor is streamed from its memory mapping into the
 * file as float32, in chunks of {@link #CHUNK_ELEMENTS}, so the build's memory stays one chunk whatever the
 * model's size and the Java heap never holds a weight tensor. Each tensor starts at a multiple of
 * {@link #ALIGNMENT}, which lets ONNX Runtime map the file instead of copying it where it can.
 */
final class ExternalWeights implements AutoCloseable {

    static final String FILE_NAME = "model.onnx.data";
    static final long ALIGNMENT = 4096;
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private final FileChannel channel;
    private final ByteBuffer chunk =
            ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4).order(ByteOrder.LITTLE_ENDIAN);
    private long end;

    ExternalWeights(Path directory) throws IOException {
        channel =
                FileChannel.open(directory.resolve(FILE_NAME), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Writes {@code tensor} as float32 with {@code dims} (its element count unchanged) and declares it in {@code g}. */
    String add(GraphBuilder g, String name, Tensor tensor, long... dims) throws IOException {
        long offset = (end + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        long count = tensor.elementCount();
        ByteBuffer source = tensor.data();
        TensorDtype dtype = tensor.dtype();
        long position = offset;
        if (dtype == TensorDtype.F32) {
            // already the graph's type: the mapped bytes go to the file as they are
            while (source.hasRemaining()) {
                position += channel.write(source, position);
            }
        }
        for (long first = dtype == TensorDtype.F32 ? count : 0; first < count; first += CHUNK_ELEMENTS) {
            int n = (int) Math.min(CHUNK_ELEMENTS, count - first);
            chunk.clear();
            for (int i = 0; i < n; i++) {
                long index = first + i;
                chunk.putFloat(
                        switch (dtype) {
                            case F32 -> source.getFloat(Math.toIntExact(index * 4));
                            case F16 -> TensorDtype.halfToFloat(source.getShort(Math.toIntExact(index * 2)));
                            case BF16 -> TensorDtype.bfloat16ToFloat(source.getShort(Math.toIntExact(index * 2)));
                        });
            }
            chunk.flip();
            while (chunk.hasRemaining()) {
                position += channel.write(chunk, position);
            }
        }
        end = offset + count * 4;
        return g.external(
                name, ElementType.FLOAT.code(), dims.length == 0 ? shape(tensor) : dims, FILE_NAME, offset, count * 4);
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
