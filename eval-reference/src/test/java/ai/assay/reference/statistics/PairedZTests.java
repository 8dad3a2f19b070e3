package ai.assay.reference.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The paired bootstrap of a mean and the paired z-test on constructed data with known answers. */
class PairedZTests {

    @Test
    void identicalModelsShowNoDifference() {
        double[] differences = new double[300];

        PairedDifference bootstrap = MeanBootstrap.of(differences, BootstrapScheme.DEFAULT);
        PairedDifference z = PairedZ.of(List.of(differences), 1);

        assertThat(bootstrap.pValue()).isEqualTo(1.0);
        assertThat(bootstrap.lower()).isZero();
        assertThat(z.pValue()).isEqualTo(1.0);
    }

    @Test
    void aPlantedDifferenceIsFound() {
        Random random = new Random(3);
        double[] differences = new double[400];
        for (int i = 0; i < differences.length; i++) {
            // per-document scores in [0, 1]: A is better by 0.1 on average, with noise
            differences[i] = 0.1 + (random.nextDouble() - 0.5) * 0.6;
        }

        PairedDifference bootstrap = MeanBootstrap.of(differences, BootstrapScheme.DEFAULT);
        PairedDifference z = PairedZ.of(List.of(differences), 1);

        assertThat(bootstrap.pValue()).isLessThan(0.01);
        assertThat(bootstrap.lower()).isPositive();
        assertThat(z.pValue()).isLessThan(1e-6);
        assertThat(z.estimate()).isEqualTo(bootstrap.estimate());
    }

    @Test
    void underNoDifferenceTheBootstrapRejectsAboutFivePercentOfTheTime() {
        Random random = new Random(11);
        BootstrapScheme scheme = new BootstrapScheme(400, 5);
        int rejections = 0;
        int trials = 200;
        for (int t = 0; t < trials; t++) {
            double[] differences = new double[100];
            for (int i = 0; i < differences.length; i++) {
                // two equally good models: each document is right for either with probability 0.7, independently
                differences[i] = (random.nextDouble() < 0.7 ? 1 : 0) - (random.nextDouble() < 0.7 ? 1 : 0);
            }
            if (MeanBootstrap.of(differences, scheme).pValue() < 0.05) {
                rejections++;
            }
        }
        // expected 10 of 200; 2..25 leaves room for chance and for the bootstrap's known slight liberality
        assertThat(rejections).isBetween(2, 25);
    }

    @Test
    void theZTestAveragesOverEveryMetric() {
        // two tasks: the first has two metrics (per-document sums of both differences), the second one
        double[] first = {0.2, 0.2, 0.2, 0.2};
        double[] second = {0.1, 0.1, 0.1};

        PairedDifference z = PairedZ.of(List.of(first, second), 3);

        assertThat(z.estimate()).isCloseTo((0.2 + 0.1) / 3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(z.pValue()).isZero();
        assertThat(z.n()).isEqualTo(7);
    }
}
