package ai.assay.reference.alpacaeval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WinRateCalculatorTests {

    @Test
    void softPreferencesAverageAsWinProbabilities() {
        WinRate winRate = WinRateCalculator.compute(new double[] {1.0, 2.0, 1.25, 1.5});

        // x = 0, 1, 0.25, 0.5: mean 0.4375; sample sd sqrt(0.546875 / 3)
        assertThat(winRate.winRate()).isCloseTo(43.75, within(1e-12));
        assertThat(winRate.standardError()).isCloseTo(100 * Math.sqrt(0.546875 / 3) / 2, within(1e-12));
        assertThat(winRate.nWins()).isEqualTo(1);
        assertThat(winRate.nWinsBase()).isEqualTo(2);
        assertThat(winRate.nDraws()).isEqualTo(1);
        assertThat(winRate.nTotal()).isEqualTo(4);
        // discrete: 0, 1, 0 (1.25 rounds to 1), 1/2
        assertThat(winRate.discreteWinRate()).isCloseTo(37.5, within(1e-12));
    }

    @Test
    void legacyZeroIsATieAndMissingOrInvalidRowsCountInNothing() {
        WinRate winRate = WinRateCalculator.compute(new double[] {0, 2, Double.NaN, -1, 2.5});

        assertThat(winRate.nDraws()).isEqualTo(1);
        assertThat(winRate.nTotal()).isEqualTo(2);
        assertThat(winRate.nWins()).isEqualTo(1);
        assertThat(winRate.winRate()).isCloseTo(75, within(1e-12));
        assertThat(winRate.nWins() + winRate.nWinsBase() + winRate.nDraws()).isEqualTo(winRate.nTotal());
    }

    @Test
    void nullsAreMissingAnnotations() {
        WinRate winRate = WinRateCalculator.compute(Arrays.asList(1.0, null, 2.0));

        assertThat(winRate.nTotal()).isEqualTo(2);
        assertThat(winRate.winRate()).isCloseTo(50, within(1e-12));
    }

    @Test
    void discreteWinRateRoundsHalfToEvenLikeNumpy() {
        // 1.5 exactly is a tie; just above and below round to a win and a loss
        assertThat(WinRateCalculator.compute(new double[] {1.5000001, 1.4999999})
                        .discreteWinRate())
                .isCloseTo(50, within(1e-12));
        assertThat(WinRateCalculator.compute(new double[] {1.7, 1.7, 1.2}).discreteWinRate())
                .isCloseTo(200.0 / 3, within(1e-12));
        // 2.5 rounds to 2 (half to even) and counts as a model win, though the weighted rate drops it
        WinRate outOfRange = WinRateCalculator.compute(new double[] {2.5, 1.0});
        assertThat(outOfRange.discreteWinRate()).isCloseTo(50, within(1e-12));
        assertThat(outOfRange.nTotal()).isEqualTo(1);
    }

    @Test
    void noValidRowGivesNaNRatesAndOneRowNoStandardError() {
        WinRate none = WinRateCalculator.compute(new double[] {Double.NaN});
        assertThat(none.winRate()).isNaN();
        assertThat(none.discreteWinRate()).isNaN();
        assertThat(none.nTotal()).isZero();

        WinRate one = WinRateCalculator.compute(new double[] {2});
        assertThat(one.winRate()).isEqualTo(100);
        assertThat(one.standardError()).isNaN();
    }
}
