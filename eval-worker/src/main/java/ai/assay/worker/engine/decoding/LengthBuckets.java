package ai.assay.worker.engine.decoding;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits rows sorted longest first into consecutive batches, each padded to its first row's length, so that the
 * padded positions plus a fixed cost per batch (the price of one more pass, in positions) are the fewest.
 */
public final class LengthBuckets {

    private LengthBuckets() {}

    /**
     * What one more pass costs, in positions of arithmetic: about one read of the weights. A position does 2 FLOP a
     * weight; fp32 weights are 4 bytes, and a CPU does some 5 to 10 FLOP in the time it reads a byte, so a read of
     * the weights costs some 10 to 20 positions; a data-centre GPU does some 300 (bf16 weights, 2 bytes).
     */
    public static long passCost(boolean cuda) {
        return cuda ? 300 : 16;
    }

    /**
     * @param lengths  row lengths, longest first
     * @param passCost what one more pass costs, in positions
     * @return the batches as {@code [from, to)} index pairs, in order
     */
    public static List<int[]> partition(int[] lengths, long passCost) {
        int n = lengths.length;
        for (int i = 1; i < n; i++) {
            if (lengths[i] > lengths[i - 1]) {
                throw new IllegalArgumentException("lengths must be sorted longest first");
            }
        }
        // cost[i]: the least cost of rows i..n-1; cut[i]: where the first batch of that solution ends.
        long[] cost = new long[n + 1];
        int[] cut = new int[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            cost[i] = Long.MAX_VALUE;
            for (int end = i + 1; end <= n; end++) {
                long candidate = (long) (end - i) * lengths[i] + passCost + cost[end];
                if (candidate < cost[i]) {
                    cost[i] = candidate;
                    cut[i] = end;
                }
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int i = 0; i < n; i = cut[i]) {
            batches.add(new int[] {i, cut[i]});
        }
        return batches;
    }
}
