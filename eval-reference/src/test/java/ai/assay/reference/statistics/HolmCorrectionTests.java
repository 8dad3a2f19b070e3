package ai.assay.reference.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HolmCorrectionTests {

    @Test
    void adjustsStepDownAndKeepsTheOrderMonotone() {
        double[] adjusted = HolmCorrection.adjust(new double[] {0.01, 0.04, 0.03, 0.005});

        // sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, max(0.04*1, 0.06) = 0.06
        assertThat(adjusted[0]).isCloseTo(0.03, within(1e-12));
        assertThat(adjusted[1]).isCloseTo(0.06, within(1e-12));
        assertThat(adjusted[2]).isCloseTo(0.06, within(1e-12));
        assertThat(adjusted[3]).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void untestedPairsStayUntestedAndDoNotCount() {
        double[] adjusted = HolmCorrection.adjust(new double[] {0.02, Double.NaN, 0.5});

        assertThat(adjusted[0]).isCloseTo(0.04, within(1e-12));
        assertThat(adjusted[1]).isNaN();
        assertThat(adjusted[2]).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void capsAtOne() {
        assertThat(HolmCorrection.adjust(new double[] {0.6, 0.7})).containsExactly(1.0, 1.0);
    }
}
