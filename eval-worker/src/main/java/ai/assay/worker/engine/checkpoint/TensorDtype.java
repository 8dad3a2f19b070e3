package ai.assay.worker.engine.checkpoint;

import java.util.Arrays;
import java.util.Optional;

/**
 * The safetensors element types a checkpoint may hold, by the header's {@code dtype} string. Decoder weights are
 * written in one of these three; anything else (integer, fp8, fp64) is refused by name where it is read.
 */
public enum TensorDtype {
    F32("F32", 4),
    F16("F16", 2),
    BF16("BF16", 2);

    private final String headerName;
    private final int byteSize;

    TensorDtype(String headerName, int byteSize) {
        this.headerName = headerName;
        this.byteSize = byteSize;
    }

    public String headerName() {
        return headerName;
    }

    public int byteSize() {
        return byteSize;
    }

    public static Optional<TensorDtype> ofHeaderName(String name) {
        return Arrays.stream(values()).filter(d -> d.headerName.equals(name)).findFirst();
    }

    /**
     * IEEE 754 binary16 to float, exactly (every half value is a float): subnormals scale the mantissa by 2^-24,
     * the all-ones exponent gives infinities and NaN (payload kept). Written out because {@code
     * Float.float16ToFloat} arrives only in Java 20.
     */
    public static float halfToFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** bfloat16 to float, exactly: bfloat16 is the upper half of a float's bits. */
    public static float bfloat16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }
}
