package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.worker.engine.SamplingParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTests {

    // Softmax at temperature 1: about 0.50, 0.30, 0.12, 0.05, 0.02, 0.01 for ids 3, 0, 5, 1, 4, 2.
    private static final float[] LOGITS = {
        (float) Math.log(0.30), (float) Math.log(0.05), (float) Math.log(0.01),
        (float) Math.log(0.50), (float) Math.log(0.02), (float) Math.log(0.12)
    };

    @Test
    void temperatureZeroTakesTheFirstMaximum() {
        float[] tied = {1, 3, 3, 2};
        assertThat(sampler(0, 1, 0, 1).next(tied, 0, 4)).isEqualTo(1);
        assertThat(sampler(0, 1, 0, 1).next(new float[] {9, 1, 3, 3, 2}, 1, 4)).isEqualTo(1);
    }

    @Test
    void topKKeepsOnlyTheKMostLikelyTokens() {
        Map<Integer, Integer> counts = draw(sampler(1, 1, 2, 11), 2000);
        assertThat(counts.keySet()).containsOnly(3, 0);
        // Renormalised: 0.5 / 0.8 and 0.3 / 0.8.
        assertThat(counts.get(3) / 2000.0).isBetween(0.58, 0.67);
    }

    @Test
    void topPKeepsTheSmallestSetThatReachesP() {
        // 0.50 + 0.30 = 0.80 < 0.85, so the nucleus also needs 0.12.
        assertThat(draw(sampler(1, 0.85, 0, 5), 3000).keySet()).containsOnly(3, 0, 5);
        assertThat(draw(sampler(1, 0.5, 0, 5), 500).keySet()).containsOnly(3);
    }

    @Test
    void topPAppliesWithinTheTopK() {
        // Top 3 renormalised: 0.54, 0.33, 0.13; p = 0.8 needs the first two.
        assertThat(draw(sampler(1, 0.8, 3, 9), 3000).keySet()).containsOnly(3, 0);
    }

    @Test
    void plainTemperatureSamplingReachesEveryToken() {
        assertThat(draw(sampler(1, 1, 0, 3), 20000).keySet()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void theSameSeedDrawsTheSameTokens() {
        Sampler a = sampler(0.8, 0.95, 40, 1234);
        Sampler b = sampler(0.8, 0.95, 40, 1234);
        for (int i = 0; i < 200; i++) {
            assertThat(a.next(LOGITS, 0, 6)).isEqualTo(b.next(LOGITS, 0, 6));
        }
    }

    private static Map<Integer, Integer> draw(Sampler sampler, int times) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < times; i++) {
            counts.merge(sampler.next(LOGITS, 0, LOGITS.length), 1, Integer::sum);
        }
        return counts;
    }

    private static Sampler sampler(double temperature, double topP, int topK, long seed) {
        return new Sampler(new SamplingParams(temperature, topP, topK, 10, seed, List.of()));
    }
}
