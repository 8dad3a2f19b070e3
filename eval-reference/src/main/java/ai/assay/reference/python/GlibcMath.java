package ai.assay.reference.python;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * glibc's {@code exp} and {@code pow(x, 2)}, bit for bit, as CPython's {@code math.exp} and float {@code **} (and
 * numpy without AVX-512) get them on x86-64 Linux. glibc's (2.28 and later: the table-driven algorithms of Arm's
 * optimized-routines) are not correctly rounded: about one square in a thousand comes out one ulp away from
 * {@code x * x}, which Java computes, and {@link StrictMath#exp} differs from glibc's exp in about one case in ten.
 * lm-eval squares every deviation of its standard errors with {@code **} and TruthfulQA mc2 exponentiates
 * log-likelihoods, so the last bits of those numbers depend on it.
 *
 * <p>Hand-written for that exact compatibility, after glibc's {@code e_pow.c} and {@code e_exp.c} as the x86-64
 * library is built for CPUs with FMA and AVX2 (the variant glibc picks on every x86-64 processor since 2013): the
 * same operations in the same order, fused multiply-adds exactly where that build has them (the compiler contracts
 * {@code a * b + c} there), the same overflow and underflow handling. Its two tables (log of the reduced argument,
 * powers {@code 2^(k/128)}) are derived at class load by the rules glibc's data files state for them, in exact
 * decimal arithmetic. Tested against CPython's own results (eval-reference test resource python/pow-exp.txt.gz).
 */
final class GlibcMath {

    private static final int LOG_TABLE_BITS = 7;
    private static final int N_LOG = 1 << LOG_TABLE_BITS;
    private static final long OFF = 0x3fe6955500000000L;
    private static final double LN2_HI = 0x1.62e42fefa3800p-1;
    private static final double LN2_LO = 0x1.ef35793c76730p-45;
    /** log1p(r) = r + A0 r^2 + ... (glibc's pow_log_data.poly, already scaled as glibc stores them). */
    private static final double A0 = -0x1p-1;

    private static final double A1 = -0x1.555555555556p-1;
    private static final double A2 = 0x1.0000000000006p-1;
    private static final double A3 = 0x1.999999959554ep-1;
    private static final double A4 = -0x1.555555529a47ap-1;
    private static final double A5 = -0x1.2495b9b4845e9p0;
    private static final double A6 = 0x1.0002b8b263fc3p0;

    private static final int EXP_TABLE_BITS = 7;
    private static final int N_EXP = 1 << EXP_TABLE_BITS;
    private static final double INV_LN2_N = 0x1.71547652b82fep0 * N_EXP;
    private static final double NEG_LN2_HI_N = -0x1.62e42fefa0000p-8;
    private static final double NEG_LN2_LO_N = -0x1.cf79abc9e3b3ap-47;
    private static final double SHIFT = 0x1.8p52;
    private static final double C2 = 0x1.ffffffffffdbdp-2;
    private static final double C3 = 0x1.555555555543cp-3;
    private static final double C4 = 0x1.55555cf172b91p-5;
    private static final double C5 = 0x1.1111167a4d017p-7;

    private static final double[] INVC = new double[N_LOG];
    private static final double[] LOGC = new double[N_LOG];
    private static final double[] LOGCTAIL = new double[N_LOG];
    /** Per k: the tail T[k] and the bits of H[k] less (k << 52) / N, where 2^(k/N) ~= H[k] * (1 + T[k]). */
    private static final long[] EXP_TAB = new long[2 * N_EXP];

    static {
        MathContext mc = new MathContext(80, RoundingMode.HALF_EVEN);
        for (int i = 0; i < N_LOG; i++) {
            // Subinterval i of [OFF, 2 OFF) in bit space; 1/c near its centre with few bits, so z/c - 1 is exact.
            BigDecimal lo = new BigDecimal(Double.longBitsToDouble(OFF + ((long) i << (52 - LOG_TABLE_BITS))));
            BigDecimal hi = new BigDecimal(Double.longBitsToDouble(OFF + ((long) (i + 1) << (52 - LOG_TABLE_BITS))));
            BigDecimal center = lo.add(hi).divide(BigDecimal.valueOf(2), mc);
            int scale = center.compareTo(BigDecimal.ONE) < 0 ? N_LOG : 2 * N_LOG;
            BigDecimal j = BigDecimal.valueOf(scale).divide(center, mc).setScale(0, RoundingMode.HALF_EVEN);
            BigDecimal invc = j.divide(BigDecimal.valueOf(scale), mc);
            BigDecimal logC = ln(invc, mc).negate();
            BigDecimal logc = logC.multiply(BigDecimal.valueOf(2).pow(43))
                    .setScale(0, RoundingMode.HALF_EVEN)
                    .divide(BigDecimal.valueOf(2).pow(43), mc);
            INVC[i] = invc.doubleValue();
            LOGC[i] = logc.doubleValue();
            LOGCTAIL[i] = logC.subtract(logc).doubleValue();
        }
        BigDecimal ln2 = ln(BigDecimal.valueOf(2), mc);
        for (int k = 0; k < N_EXP; k++) {
            BigDecimal power = exp(ln2.multiply(BigDecimal.valueOf(k)).divide(BigDecimal.valueOf(N_EXP), mc), mc);
            double h = power.doubleValue();
            double tail =
                    power.divide(new BigDecimal(h), mc).subtract(BigDecimal.ONE).doubleValue();
            EXP_TAB[2 * k] = Double.doubleToRawLongBits(tail);
            EXP_TAB[2 * k + 1] = Double.doubleToRawLongBits(h) - ((long) k << (52 - EXP_TABLE_BITS));
        }
    }

    private GlibcMath() {}

    /** glibc's {@code pow(x, 2.0)}. */
    static double square(double x) {
        if (x == 0) {
            return 0.0;
        }
        if (Double.isNaN(x)) {
            return x;
        }
        if (Double.isInfinite(x)) {
            return Double.POSITIVE_INFINITY;
        }
        long ix = Double.doubleToRawLongBits(x) & 0x7fffffffffffffffL;
        if (ix >>> 52 == 0) {
            // Subnormal: normalized so that the exponent goes negative, as glibc does.
            ix = (Double.doubleToRawLongBits(x * 0x1p52) & 0x7fffffffffffffffL) - (52L << 52);
        }
        return power(ix, 2.0);
    }

    /** The main path of glibc's pow for a positive finite x (as bits, subnormals normalized) and an ordinary y. */
    private static double power(long ix, double y) {
        // log_inline: x = 2^k z, z in [OFF, 2 OFF); log(x) = k ln2 + log(c) + log1p(z/c - 1).
        long tmp = ix - OFF;
        int i = (int) ((tmp >>> (52 - LOG_TABLE_BITS)) % N_LOG);
        int k = (int) (tmp >> 52);
        long iz = ix - (tmp & (0xfffL << 52));
        double z = Double.longBitsToDouble(iz);
        double kd = k;
        double invc = INVC[i];
        double t1 = Math.fma(kd, LN2_HI, LOGC[i]);
        double lo1 = Math.fma(kd, LN2_LO, LOGCTAIL[i]);
        double r = Math.fma(z, invc, -1.0);
        double ar = r * A0;
        double p12 = Math.fma(r, A2, A1);
        double p34 = Math.fma(r, A4, A3);
        double t2 = r + t1;
        double ar2 = r * ar;
        double ar3 = r * ar2;
        double lo3 = Math.fma(ar, r, -ar2);
        double lo2 = (t1 - t2) + r;
        double p56 = Math.fma(r, A6, A5);
        double hi = t2 + ar2;
        double lo4 = (t2 - hi) + ar2;
        double poly = Math.fma(ar2, Math.fma(p56, ar2, p34), p12);
        double lo = Math.fma(poly, ar3, ((lo1 + lo2) + lo3) + lo4);
        double logHi = hi + lo;
        double logLo = (hi - logHi) + lo;

        double ehi = y * logHi;
        double elo = Math.fma(y, logLo, Math.fma(logHi, y, -ehi));
        return exp(ehi, elo, true);
    }

    /** glibc's {@code exp(x)}. */
    static double exp(double x) {
        if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
            return x + 1.0;
        }
        return exp(x, 0.0, false);
    }

    /** exp(x + xtail), positive; pow's exp_inline with a tail, exp itself without. */
    private static double exp(double x, double xtail, boolean withTail) {
        int abstop = (int) ((Double.doubleToRawLongBits(x) >>> 52) & 0x7ff);
        boolean special = false;
        if (abstop - 0x3c9 < 0) {
            // |x| < 2^-54: exp(x) rounds to 1 + x.
            return 1.0 + x;
        }
        if (abstop - 0x3c9 > 0x3e) {
            if (abstop >= 0x409) {
                return x < 0 ? 0.0 : Double.POSITIVE_INFINITY;
            }
            special = true;
        }
        double kdShifted = Math.fma(x, INV_LN2_N, SHIFT);
        long ki = Double.doubleToRawLongBits(kdShifted);
        double kd = kdShifted - SHIFT;
        double r = Math.fma(kd, NEG_LN2_LO_N, Math.fma(kd, NEG_LN2_HI_N, x));
        if (withTail) {
            r = xtail + r;
        }
        int idx = 2 * (int) (ki & (N_EXP - 1));
        long top = ki << (52 - EXP_TABLE_BITS);
        double tail = Double.longBitsToDouble(EXP_TAB[idx]);
        long sbits = EXP_TAB[idx + 1] + top;
        double r2 = r * r;
        double tmp = Math.fma(Math.fma(r, C5, C4), r2 * r2, Math.fma(Math.fma(r, C3, C2), r2, r + tail));
        if (special) {
            return specialCase(tmp, sbits, ki);
        }
        double scale = Double.longBitsToDouble(sbits);
        return Math.fma(tmp, scale, scale);
    }

    /** glibc's specialcase: scale (1 + tmp) where it may overflow or fall into the subnormal range. */
    private static double specialCase(double tmp, long sbits, long ki) {
        if ((ki & 0x80000000L) == 0) {
            double scale = Double.longBitsToDouble(sbits - (1009L << 52));
            return Math.fma(tmp, scale, scale) * 0x1p1009;
        }
        long bits = sbits + (1022L << 52);
        double scale = Double.longBitsToDouble(bits);
        double product = tmp * scale;
        double y = scale + product;
        if (Math.abs(y) < 1.0) {
            // Rounded to the subnormal precision first, avoiding a double rounding.
            double one = y < 0.0 ? -1.0 : 1.0;
            double lo = (scale - y) + product;
            double hi = y + one;
            lo = (((one - hi) + y) + lo);
            y = (lo + hi) - one;
            if (y == 0.0) {
                y = Double.longBitsToDouble(bits & 0x8000000000000000L);
            }
        }
        return y * 0x1p-1022;
    }

    /** ln(v) for 0 < v by its series 2 atanh((v - 1) / (v + 1)), which converges fast for the v used here. */
    private static BigDecimal ln(BigDecimal v, MathContext mc) {
        BigDecimal s = v.subtract(BigDecimal.ONE).divide(v.add(BigDecimal.ONE), mc);
        BigDecimal s2 = s.multiply(s, mc);
        BigDecimal term = s;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal epsilon = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int n = 1; term.abs().compareTo(epsilon) > 0; n += 2) {
            sum = sum.add(term.divide(BigDecimal.valueOf(n), mc), mc);
            term = term.multiply(s2, mc);
        }
        return sum.multiply(BigDecimal.valueOf(2), mc);
    }

    /** e^v by its Taylor series; 0 <= v < 1 here. */
    private static BigDecimal exp(BigDecimal v, MathContext mc) {
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        BigDecimal epsilon = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        for (int n = 1; term.abs().compareTo(epsilon) > 0; n++) {
            term = term.multiply(v, mc).divide(BigDecimal.valueOf(n), mc);
            sum = sum.add(term, mc);
        }
        return sum;
    }
}
