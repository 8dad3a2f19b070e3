package ai.assay.worker.engine.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One tensor of a safetensors file: its name, element type, shape, the file it lies in, and its bytes as a
 * read-only little-endian slice of that file's memory mapping (never a copy on the Java heap). The slice stays
 * valid while the {@link HfCheckpoint} that opened it is open.
 */
public record Tensor(String name, TensorDtype dtype, List<Long> shape, String file, ByteBuffer data) {

    public Tensor {
        shape = List.copyOf(shape);
    }

    public static Tensor mapped(String name, TensorDtype dtype, List<Long> shape, String file, ByteBuffer data) {
        return new Tensor(name, dtype, shape, file, data);
    }

    /** A fresh read-only little-endian view of the bytes (position 0), so readers never share a position. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    /**
     * The values as floats, fp16 and bf16 converted exactly. This copies onto the heap: for tests and small tensors
     * (norm weights, biases) only; a tensor over 16M elements is refused so a model's weights never end up here.
     */
    public float[] toFloats() {
        long count = elementCount();
        if (count > 1L << 24) {
            throw new IllegalStateException(
                    file + ": tensor " + name + " has " + count + " elements, too many to copy onto the heap");
        }
        ByteBuffer bytes = data();
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (dtype) {
                case F32 -> bytes.getFloat(i * 4);
                case F16 -> TensorDtype.halfToFloat(bytes.getShort(i * 2));
                case BF16 -> TensorDtype.bfloat16ToFloat(bytes.getShort(i * 2));
            };
        }
        return values;
    }
}
