package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBucketsTests {

    @Test
    void oneBatchWhenThePaddingCostsLessThanAnotherPass() {
        assertThat(LengthBuckets.partition(new int[] {10, 9, 9, 8}, 16)).containsExactly(new int[] {0, 4});
    }

    @Test
    void splitsWhereThePaddingSavedIsWorthAPass() {
        // One batch: 6 × 40 + 16 = 256. Split after the long two: 2 × 40 + 16 + 4 × 5 + 16 = 132.
        List<int[]> batches = LengthBuckets.partition(new int[] {40, 38, 5, 5, 4, 3}, 16);

        assertThat(batches).containsExactly(new int[] {0, 2}, new int[] {2, 6});
    }

    @Test
    void aHighPassCostKeepsEverythingInOnePass() {
        assertThat(LengthBuckets.partition(new int[] {40, 38, 5, 5, 4, 3}, 300)).containsExactly(new int[] {0, 6});
        assertThat(LengthBuckets.partition(new int[0], 16)).isEmpty();
        assertThatThrownBy(() -> LengthBuckets.partition(new int[] {1, 2}, 16))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
