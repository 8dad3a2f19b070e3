package ai.assay.reference.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BootstrapSchemeTests {

    @Test
    void aResampleDependsOnlyOnTheSeedTheIndexAndTheSize() {
        BootstrapScheme scheme = BootstrapScheme.DEFAULT;

        assertThat(scheme.draw(7, 805)).isEqualTo(new BootstrapScheme(10, scheme.seed()).draw(7, 805));
        assertThat(scheme.draw(7, 805)).isNotEqualTo(scheme.draw(8, 805));
        assertThat(new BootstrapScheme(1000, 1).draw(7, 805)).isNotEqualTo(scheme.draw(7, 805));
    }

    @Test
    void splitMix64MatchesItsReferenceOutput() {
        // the first outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c)
        SplitMix64 random = new SplitMix64(0);

        assertThat(random.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(random.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
    }

    @Test
    void drawsCoverEveryIndexEvenly() {
        int n = 50;
        int[] counts = new int[n];
        for (int b = 0; b < 400; b++) {
            for (int i : BootstrapScheme.DEFAULT.draw(b, n)) {
                counts[i]++;
            }
        }
        // 400 draws of each index expected; 5 standard deviations is about 100
        for (int count : counts) {
            assertThat(count).isBetween(300, 500);
        }
    }
}
