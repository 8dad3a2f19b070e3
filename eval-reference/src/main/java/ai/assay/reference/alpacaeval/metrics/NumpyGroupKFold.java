package ai.assay.reference.alpacaeval.metrics;

/**
 * scikit-learn's {@code GroupKFold} (no shuffling) for groups that all have the same size, with the group order that
 * numpy's generic {@code argsort} (introsort, {@code kind="quicksort"}) gives for equal keys.
 *
 * <p>GroupKFold sorts the groups by size with {@code np.argsort}, reverses that order and deals each group to the
 * currently lightest fold (first one on ties). With equal sizes the result is entirely decided by where the unstable
 * sort moves equal keys, so the partition steps of numpy's sort are replayed here on keys that always compare equal.
 */
final class NumpyGroupKFold {

    /** numpy's {@code SMALL_QUICKSORT}: partitions at most this long (minus one) are insertion-sorted. */
    private static final int SMALL_QUICKSORT = 15;

    private NumpyGroupKFold() {}

    static int[] assign(int groups, int folds) {
        if (folds < 2) {
            throw new IllegalArgumentException("need at least 2 folds");
        }
        if (groups < folds) {
            throw new IllegalArgumentException("cannot split " + groups + " groups into " + folds + " folds");
        }
        int[] order = argsortOfEqualKeys(groups);
        int[] foldOf = new int[groups];
        long[] foldWeight = new long[folds];
        for (int k = groups - 1; k >= 0; k--) {
            int lightest = 0;
            for (int f = 1; f < folds; f++) {
                if (foldWeight[f] < foldWeight[lightest]) {
                    lightest = f;
                }
            }
            foldWeight[lightest] += 2;
            foldOf[order[k]] = lightest;
        }
        return foldOf;
    }

    /**
     * {@code np.argsort(a)} for an array of n equal values, replaying numpy's {@code aquicksort}: median-of-three
     * pivot, Hoare partition with sentinels, larger partition pushed on a stack, insertion sort below the cut-off. For
     * equal keys no comparison is ever true, so only the index swaps of the partition steps remain.
     */
    static int[] argsortOfEqualKeys(int n) {
        int[] tosort = new int[n];
        for (int i = 0; i < n; i++) {
            tosort[i] = i;
        }
        if (n < 2) {
            return tosort;
        }
        int[] stack = new int[2 * 64];
        int[] depthStack = new int[64];
        int sp = 0;
        int dp = 0;
        int pl = 0;
        int pr = n - 1;
        int depth = 2 * (31 - Integer.numberOfLeadingZeros(n));
        for (; ; ) {
            if (depth < 0) {
                // numpy switches to heapsort here; partitions of equal keys always split in the middle, so the
                // depth limit (twice log2 n) is never reached.
                throw new IllegalStateException("introsort depth limit reached for equal keys");
            }
            while (pr - pl > SMALL_QUICKSORT) {
                int pm = pl + ((pr - pl) >> 1);
                // median of three: no swaps, since equal keys never compare less
                int pi = pl;
                int pj = pr - 1;
                swap(tosort, pm, pj);
                for (; ; ) {
                    ++pi; // do { ++pi } while (v[pi] < vp): runs once
                    --pj; // do { --pj } while (vp < v[pj]): runs once
                    if (pi >= pj) {
                        break;
                    }
                    swap(tosort, pi, pj);
                }
                swap(tosort, pi, pr - 1);
                if (pi - pl < pr - pi) {
                    stack[sp++] = pi + 1;
                    stack[sp++] = pr;
                    pr = pi - 1;
                } else {
                    stack[sp++] = pl;
                    stack[sp++] = pi - 1;
                    pl = pi + 1;
                }
                depthStack[dp++] = --depth;
            }
            // insertion sort: nothing moves for equal keys
            if (sp == 0) {
                break;
            }
            pr = stack[--sp];
            pl = stack[--sp];
            depth = depthStack[--dp];
        }
        return tosort;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
