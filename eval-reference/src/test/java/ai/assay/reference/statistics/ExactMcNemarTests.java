package ai.assay.reference.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ExactMcNemarTests {

    @Test
    void exactPValueIsTheDoubledBinomialTail() {
        // 10 against 2 discordant pairs: 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 158 / 4096
        assertThat(ExactMcNemar.exactPValue(10, 2)).isCloseTo(158.0 / 4096, within(1e-12));
        assertThat(ExactMcNemar.exactPValue(2, 10)).isCloseTo(158.0 / 4096, within(1e-12));
        // a balanced split caps at 1
        assertThat(ExactMcNemar.exactPValue(5, 5)).isEqualTo(1.0);
    }

    @Test
    void identicalResultsShowNoDifference() {
        PairedDifference result = ExactMcNemar.of(0, 0, 500);

        assertThat(result.estimate()).isZero();
        assertThat(result.pValue()).isEqualTo(1.0);
        assertThat(result.lower()).isZero();
        assertThat(result.upper()).isZero();
    }

    @Test
    void aPlantedDifferenceIsFound() {
        // A fixes 40 documents B gets wrong and breaks 10 it gets right, out of 1,000
        PairedDifference result = ExactMcNemar.of(40, 10, 1000);

        assertThat(result.estimate()).isCloseTo(0.03, within(1e-12));
        assertThat(result.pValue()).isLessThan(1e-4);
        assertThat(result.lower()).isPositive();
        assertThat(result.upper()).isGreaterThan(result.estimate());
        assertThat(result.method()).isEqualTo(TestMethod.MCNEMAR_EXACT);
    }

    @Test
    void largeCountsStayFinite() {
        double p = ExactMcNemar.exactPValue(7000, 7100);

        assertThat(p).isBetween(0.0, 1.0);
        assertThat(p).isGreaterThan(0.3);
    }
}
