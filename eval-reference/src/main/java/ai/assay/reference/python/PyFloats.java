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

    /**
     * {@code x ** 2} for a Python float or a numpy float64, bit for bit as CPython and numpy compute it on x86-64
     * Linux: both call glibc's {@code pow}, which differs from the correctly rounded {@code x * x} in the last bit
     * for about one x in a thousand (see {@link GlibcMath}).
     */
    public static double square(double x) {
        return GlibcMath.square(x);
    }

    /**
     * {@code math.exp(x)} as CPython computes it on x86-64 Linux (glibc's exp, see {@link GlibcMath}); also numpy's
     * {@code np.exp} on CPUs without AVX-512, where numpy calls the C library (with AVX-512 numpy uses a kernel of
     * its own, which can differ in the last bit).
     */
    public static double exp(double x) {
        return GlibcMath.exp(x);
    }

    /**
     * {@code numpy.sum} of a contiguous float64 array: numpy's pairwise summation, which adds fewer than eight
     * values left to right, up to 128 in eight interleaved partial sums, and splits longer arrays in halves.
     */
    public static double numpySum(double[] values) {
        return 0.0 + pairwise(values, 0, values.length);
    }

    private static double pairwise(double[] a, int from, int n) {
        if (n < 8) {
            double res = -0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        if (n <= 128) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[from + j];
            }
            int i = 8;
            for (; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwise(a, from, half) + pairwise(a, from + half, n - half);
    }
}
