package ai.assay.reference.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PercentileBootstrapTests {

    @Test
    void identicalReplicatesGiveNoDifference() {
        float[] replicates = new float[1000];
        for (int b = 0; b < replicates.length; b++) {
            replicates[b] = 30 + (b % 17) * 0.1f;
        }

        PairedDifference result = PercentileBootstrap.of(0, replicates, replicates.clone(), 805);

        assertThat(result.pValue()).isEqualTo(1.0);
        assertThat(result.lower()).isZero();
        assertThat(result.upper()).isZero();
        assertThat(result.resamples()).isEqualTo(1000);
    }

    @Test
    void replicatesAllOnOneSideGiveTheSmallestPValue() {
        double[] differences = new double[999];
        Arrays.fill(differences, 2.0);

        PairedDifference result = PercentileBootstrap.ofDifferences(2.0, differences, 805);

        assertThat(result.pValue()).isCloseTo(2.0 / 1000, within(1e-12));
    }

    @Test
    void intervalIsTheType7Percentiles() {
        double[] values = new double[101];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 - i;
        }

        PairedDifference result = PercentileBootstrap.ofDifferences(50, values, 10);

        // numpy.percentile(range(101), [2.5, 97.5]) = [2.5, 97.5]
        assertThat(result.lower()).isCloseTo(2.5, within(1e-12));
        assertThat(result.upper()).isCloseTo(97.5, within(1e-12));
    }

    @Test
    void undefinedResamplesAreLeftOut() {
        float[] a = {1, Float.NaN, 3, 4};
        float[] b = {0, 0, Float.NaN, 1};

        assertThat(PercentileBootstrap.of(1, a, b, 10).resamples()).isEqualTo(2);
    }
}
