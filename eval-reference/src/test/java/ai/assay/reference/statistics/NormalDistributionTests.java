package ai.assay.reference.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalDistributionTests {

    @Test
    void knownValues() {
        assertThat(NormalDistribution.quantile(0.975)).isCloseTo(1.959963984540054, within(1e-6));
        assertThat(NormalDistribution.quantile(0.5)).isCloseTo(0, within(1e-9));
        assertThat(NormalDistribution.twoSidedTail(1.959963984540054)).isCloseTo(0.05, within(1e-7));
        assertThat(NormalDistribution.twoSidedTail(0)).isCloseTo(1, within(1e-7));
        assertThat(NormalDistribution.twoSidedTail(3.2905267314919255)).isCloseTo(0.001, within(1e-8));
    }
}
