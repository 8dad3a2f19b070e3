package ai.assay.reference.statistics;

/**
 * Steele, Lea and Flood's SplitMix64 generator, written out so that a bootstrap resample is defined by its seed alone
 * (on any JVM, in any language that ports these few lines), not by a library's choice of algorithm.
 */
final class SplitMix64 {

    static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /** The k-th output (from 0) of the generator seeded with {@code seed}, without running it. */
    static long output(long seed, long k) {
        return mix(seed + (k + 1) * GOLDEN_GAMMA);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** floor(u * bound) for u from {@link #nextDouble()}. */
    int nextIndex(int bound) {
        return (int) (nextDouble() * bound);
    }
}
