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

    /**
     * float to IEEE 754 binary16, rounding to nearest with ties to even (what {@code torch.Tensor.half()} and numpy
     * do): values beyond the largest half become infinities, values below half the smallest subnormal become zero,
     * NaN stays NaN. Written out because {@code Float.floatToFloat16} arrives only in Java 20.
     */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            // a subnormal half: the significand, implicit bit included, shifted down to units of 2^-24
            int shift = 14 - halfExponent;
            if (shift > 24) {
                return (short) sign;
            }
            int significand = mantissa | 0x800000;
            int kept = significand >>> shift;
            int dropped = significand & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (dropped > halfway || (dropped == halfway && (kept & 1) != 0)) {
                kept++;
            }
            return (short) (sign | kept);
        }
        int half = sign | (halfExponent << 10) | (mantissa >>> 13);
        int dropped = mantissa & 0x1FFF;
        // a carry out of the mantissa correctly bumps the exponent, up to infinity
        if (dropped > 0x1000 || (dropped == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) half;
    }

    /** float to bfloat16, rounding to nearest with ties to even as {@code torch.Tensor.bfloat16()} does; NaN stays NaN. */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x7FFFFF) != 0) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
