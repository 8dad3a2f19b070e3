package ai.assay.reference.python;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Python's float arithmetic and text where Java's differs. */
public final class PyFloats {

    private PyFloats() {}

    /**
     * {@code repr(x)}: the shortest decimal that reads back as x, in fixed notation when the decimal exponent is
     * in [-4, 16), else as {@code 1e-05} / {@code 1.5e+16}; {@code nan}, {@code inf}.
     */
    public static String repr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return (Double.doubleToRawLongBits(x) < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (readsBackAs(nearest, x)) {
                shortest = nearest;
                break;
            }
            // Just above a power of two the doubles below x lie twice as close as those above, so the nearest
            // decimal of this length can miss the interval that reads back as x while the one on the other side
            // is in it; CPython's repr then gives that one (e.g. 2**-24 is 5.960464477539063e-08).
            RoundingMode away = nearest.compareTo(exact) > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
            BigDecimal other = exact.round(new MathContext(precision, away));
            if (readsBackAs(other, x)) {
                shortest = other;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int decpt = digits.length() - shortest.scale();
        StringBuilder out = new StringBuilder();
        if (x < 0) {
            out.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                out.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= digits.length()) {
                out.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            } else {
                out.append(digits, 0, decpt).append('.').append(digits.substring(decpt));
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits.substring(1));
            }
            int exponent = decpt - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            out.append(e.length() < 2 ? "0" + e : e);
        }
        return out.toString();
    }

    private static boolean readsBackAs(BigDecimal decimal, double x) {
        return Double.parseDouble(decimal.toString()) == x;
    }

    /**
     * The builtin {@code sum()} over Python floats (or ints) as CPython 3.12+ computes it: Neumaier's compensated
     * summation, the compensation added at the end.
     */
    public static double sum(double[] values) {
        double total = 0.0;
        double compensation = 0.0;
        for (double x : values) {
            double t = total + x;
            if (Math.abs(total) >= Math.abs(x)) {
                compensation += (total - t) + x;
            } else {
                compensation += (x - t) + total;
            }
            total = t;
        }
        if (compensation != 0 && Double.isFinite(compensation)) {
            total += compensation;
        }
        return total;
    }

    /** {@code sum()} over numpy float64 scalars: plain left-to-right addition (numpy's scalar add). */
    public static double naiveSum(double[] values) {
        double total = 0.0;
        for (double x : values) {
            total += x;
        }
        return total;
    }
}
