package ai.assay.core.leaderboard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/** Little-endian packing of the per-example arrays stored in bytea columns. */
final class PackedArrays {

    private PackedArrays() {}

    static byte[] doubles(double[] values) {
        ByteBuffer buffer = buffer(values.length * Double.BYTES);
        buffer.asDoubleBuffer().put(values);
        return buffer.array();
    }

    static double[] doubles(byte[] bytes) {
        double[] values = new double[bytes.length / Double.BYTES];
        wrap(bytes).asDoubleBuffer().get(values);
        return values;
    }

    static byte[] floats(float[] values) {
        ByteBuffer buffer = buffer(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static float[] floats(byte[] bytes) {
        float[] values = new float[bytes.length / Float.BYTES];
        wrap(bytes).asFloatBuffer().get(values);
        return values;
    }

    static byte[] ints(int[] values) {
        ByteBuffer buffer = buffer(values.length * Integer.BYTES);
        buffer.asIntBuffer().put(values);
        return buffer.array();
    }

    static int[] ints(byte[] bytes) {
        int[] values = new int[bytes.length / Integer.BYTES];
        wrap(bytes).asIntBuffer().get(values);
        return values;
    }

    static byte[] longs(long[] values) {
        ByteBuffer buffer = buffer(values.length * Long.BYTES);
        buffer.asLongBuffer().put(values);
        return buffer.array();
    }

    static long[] longs(byte[] bytes) {
        long[] values = new long[bytes.length / Long.BYTES];
        wrap(bytes).asLongBuffer().get(values);
        return values;
    }

    /** Sorted, distinct, non-negative ids as a bitset. */
    static byte[] idSet(int[] sortedIds) {
        BitSet bits = new BitSet();
        for (int id : sortedIds) {
            bits.set(id);
        }
        return bits.toByteArray();
    }

    static int[] idSet(byte[] bytes) {
        return BitSet.valueOf(bytes).stream().toArray();
    }

    /** 0/1 values as bits, value i at bit i. */
    static byte[] bits(double[] binaryValues) {
        BitSet bits = new BitSet(binaryValues.length);
        for (int i = 0; i < binaryValues.length; i++) {
            if (binaryValues[i] != 0) {
                bits.set(i);
            }
        }
        return bits.toByteArray();
    }

    static double[] bits(byte[] bytes, int count) {
        BitSet bits = BitSet.valueOf(bytes);
        double[] values = new double[count];
        for (int i = bits.nextSetBit(0); i >= 0 && i < count; i = bits.nextSetBit(i + 1)) {
            values[i] = 1;
        }
        return values;
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
