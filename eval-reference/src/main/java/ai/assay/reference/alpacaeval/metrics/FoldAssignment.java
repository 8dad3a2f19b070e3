package ai.assay.reference.alpacaeval.metrics;

/**
 * Which cross-validation fold each training row of the length-controlled fit is held out in. AlpacaEval uses
 * scikit-learn's {@code GroupKFold(5)} with one group per training row; because every group has the same size, the
 * assignment it produces depends on how numpy's {@code argsort} orders equal keys, which differs between numpy builds
 * and CPUs. {@link #numpyGroupKFold()} reproduces the portable (non-SIMD) numpy sort; {@link #fixed(int[])} replays
 * an assignment recorded elsewhere.
 */
@FunctionalInterface
public interface FoldAssignment {

    /**
     * @param trainingRows number of training rows, in training order (gamed-baseline rows first)
     * @param folds number of folds
     * @return the fold (0..folds-1) of every training row
     */
    int[] assign(int trainingRows, int folds);

    /** scikit-learn's {@code GroupKFold} as it behaves with numpy's generic introsort (no AVX-512 / AVX2 sort). */
    static FoldAssignment numpyGroupKFold() {
        return NumpyGroupKFold::assign;
    }

    /** A recorded assignment, for inputs with exactly {@code folds.length} training rows. */
    static FoldAssignment fixed(int[] folds) {
        int[] copy = folds.clone();
        return (trainingRows, foldCount) -> {
            if (trainingRows != copy.length) {
                throw new IllegalArgumentException(
                        "the recorded fold assignment covers " + copy.length + " training rows, not " + trainingRows);
            }
            for (int fold : copy) {
                if (fold < 0 || fold >= foldCount) {
                    throw new IllegalArgumentException("fold " + fold + " is outside 0.." + (foldCount - 1));
                }
            }
            return copy.clone();
        };
    }
}
