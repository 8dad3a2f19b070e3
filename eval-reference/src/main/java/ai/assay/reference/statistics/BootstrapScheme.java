package ai.assay.reference.statistics;

/**
 * Which examples each bootstrap resample draws. Resample {@code b} of a set of {@code n} examples (in a canonical
 * order both sides agree on) is the sequence of n indexes drawn with replacement by a {@link SplitMix64} generator
 * seeded with output b (from 0) of {@code SplitMix64(seed)}; each index is floor(u * n) for u = (next() >>> 11) *
 * 2^-53. Two models with the same example set therefore get the
 * same resamples, which is what makes per-model replicates computed at different times a paired bootstrap.
 *
 * @param resamples the number of resamples B
 * @param seed the seed of resample 0
 */
public record BootstrapScheme(int resamples, long seed) {

    /** What Assay uses everywhere: 1,000 resamples, seed 20240501. */
    public static final BootstrapScheme DEFAULT = new BootstrapScheme(1000, 20240501L);

    public BootstrapScheme {
        if (resamples < 1) {
            throw new IllegalArgumentException("a bootstrap needs at least one resample");
        }
    }

    /** The indexes of resample {@code b} of {@code n} examples, written into {@code into} (length at least n). */
    public int[] draw(int b, int n, int[] into) {
        SplitMix64 random = new SplitMix64(SplitMix64.output(seed, b));
        for (int i = 0; i < n; i++) {
            into[i] = random.nextIndex(n);
        }
        return into;
    }

    public int[] draw(int b, int n) {
        return draw(b, n, new int[n]);
    }
}
