package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.SamplingParams;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks a row's next token from its logits: greedy (the first maximum) at temperature 0, else temperature, then
 * top-k, then top-p (the smallest set of most likely tokens whose mass reaches p), renormalised, sampled with the
 * row's own generator seeded from the request, so the same seed gives the same tokens whatever else is batched.
 */
final class Sampler {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final SplittableRandom random;

    Sampler(SamplingParams params) {
        this.temperature = params.temperature();
        this.topK = params.topK();
        this.topP = params.topP();
        this.random = new SplittableRandom(params.seed());
    }

    boolean greedy() {
        return temperature <= 0 || topK == 1;
    }

    /** Samples from {@code logits[offset .. offset + vocab)}. */
    int next(float[] logits, int offset, int vocab) {
        if (greedy()) {
            return argmax(logits, offset, vocab);
        }
        float max = logits[offset + argmax(logits, offset, vocab)];
        double[] probs = new double[vocab];
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            double p = Math.exp((logits[offset + i] - max) / temperature);
            probs[i] = p;
            total += p;
        }
        for (int i = 0; i < vocab; i++) {
            probs[i] /= total;
        }
        if (topK <= 0 && topP >= 1) {
            return sampleAll(probs);
        }
        int[] candidates = candidates(probs);
        double mass = 0;
        int keep = candidates.length;
        if (topK > 0 && topK < keep) {
            keep = topK;
        }
        if (topP < 1) {
            double kept = 0;
            for (int i = 0; i < keep; i++) {
                kept += probs[candidates[i]];
            }
            double cumulative = 0;
            for (int i = 0; i < keep; i++) {
                cumulative += probs[candidates[i]];
                if (cumulative >= topP * kept) {
                    keep = i + 1;
                    break;
                }
            }
        }
        for (int i = 0; i < keep; i++) {
            mass += probs[candidates[i]];
        }
        double u = random.nextDouble() * mass;
        double cumulative = 0;
        for (int i = 0; i < keep; i++) {
            cumulative += probs[candidates[i]];
            if (u < cumulative) {
                return candidates[i];
            }
        }
        return candidates[keep - 1];
    }

    /**
     * The tokens that can survive top-k and top-p, most likely first (ties by id). Sorting the whole vocabulary
     * every step is slow for 100k+ tokens, so it takes the tokens above a threshold, lowering it until they hold
     * the mass top-p needs and number at least top-k: everything outside has lower probability than everything
     * inside, so the kept prefix is the same as in a full sort.
     */
    private int[] candidates(double[] probs) {
        double max = 0;
        for (double p : probs) {
            max = Math.max(max, p);
        }
        for (double threshold = max / 16; ; threshold /= 16) {
            int count = 0;
            double mass = 0;
            for (double p : probs) {
                if (p >= threshold) {
                    count++;
                    mass += p;
                }
            }
            // Enough: the k most likely are all in, or tokens holding p of the mass are (the nucleus inside the top k
            // then needs no more, as the top k hold at most all of it).
            boolean enough = (topK > 0 && count >= topK) || (topP < 1 && mass >= topP);
            if (enough || threshold < Double.MIN_NORMAL || count == probs.length) {
                long[] packed = new long[count];
                int n = 0;
                for (int i = 0; i < probs.length; i++) {
                    if (probs[i] >= threshold) {
                        // Descending probability, then ascending id: sort keys on the bits of 1 - p (p ≤ 1).
                        packed[n++] = ((long) Float.floatToIntBits((float) (1 - probs[i])) << 32) | i;
                    }
                }
                Arrays.sort(packed);
                int[] ids = new int[count];
                for (int i = 0; i < count; i++) {
                    ids[i] = (int) packed[i];
                }
                // The float key may tie tokens whose double probabilities differ; order those exactly.
                sortExact(ids, probs);
                return ids;
            }
        }
    }

    private int sampleAll(double[] probs) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < probs.length; i++) {
            cumulative += probs[i];
            if (u < cumulative) {
                return i;
            }
        }
        for (int i = probs.length - 1; i > 0; i--) {
            if (probs[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    private static void sortExact(int[] ids, double[] probs) {
        // Insertion sort: the float pre-sort leaves at most tiny runs out of order.
        for (int i = 1; i < ids.length; i++) {
            int id = ids[i];
            int j = i - 1;
            while (j >= 0 && (probs[ids[j]] < probs[id] || (probs[ids[j]] == probs[id] && ids[j] > id))) {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = id;
        }
    }

    static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        float bestValue = logits[offset];
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > bestValue) {
                bestValue = logits[offset + i];
                best = i;
            }
        }
        return best;
    }
}
