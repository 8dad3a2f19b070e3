package ai.assay.reference.lmeval.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The unbiased pass@k estimator, against values numpy 2.4 gives for {@code code_eval}'s formula. */
class PassAtKTests {

    @Test
    void theEstimatorGivesNumpysBitsOnKnownCounts() {
        assertThat(PassAtK.estimate(10, 3, 1)).isEqualTo(0.30000000000000004);
        assertThat(PassAtK.estimate(5, 2, 2)).isEqualTo(0.7);
        assertThat(PassAtK.estimate(200, 37, 10)).isEqualTo(0.8773745673794602);
        assertThat(PassAtK.estimate(64, 5, 16)).isEqualTo(0.7754211679383546);
        assertThat(PassAtK.estimate(100, 13, 64)).isEqualTo(0.9999996750192267);
        assertThat(PassAtK.estimate(20, 19, 1)).isEqualTo(0.95);
    }

    @Test
    void fewerFailuresThanKIsCertainAndNoPassIsZero() {
        assertThat(PassAtK.estimate(5, 4, 2)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(1, 1, 1)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(1, 0, 1)).isEqualTo(0.0);
        assertThat(PassAtK.estimate(64, 0, 16)).isEqualTo(0.0);
    }

    @Test
    void aKPastTheSampleCountIsNotReportedAsCodeEvalLeavesItOut() {
        assertThat(PassAtK.forProblem(4, 1, List.of(1, 2, 8)))
                .containsExactly(Map.entry("pass@1", 0.25), Map.entry("pass@2", 0.5));
    }

    @Test
    void impossibleCountsAreRefused() {
        assertThatThrownBy(() -> PassAtK.estimate(3, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassAtK.estimate(3, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
