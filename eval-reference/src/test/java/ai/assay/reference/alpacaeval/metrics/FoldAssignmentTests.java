package ai.assay.reference.alpacaeval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FoldAssignmentTests {

    /**
     * {@code numpy_generic_groupkfold_folds.json} holds, per number of groups, the folds of scikit-learn's
     * GroupKFold(5) over groups of two rows each, computed with numpy's argsort forced onto its generic sort
     * ({@code NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4 AVX512_ICL"}, numpy 2.4.6): {@code fold[argsort(sizes)[::-1]] =
     * arange(n) % 5}.
     */
    @Test
    void numpyGroupKFoldReproducesNumpysGenericSort() {
        JsonNode recorded = AlpacaEvalFixtures.readJson("alpacaeval/numpy_generic_groupkfold_folds.json");
        assertThat(recorded.size()).isGreaterThanOrEqualTo(10);
        for (Map.Entry<String, JsonNode> entry : recorded.properties()) {
            int groups = Integer.parseInt(entry.getKey());
            int[] folds = FoldAssignment.numpyGroupKFold().assign(groups, 5);
            StringBuilder text = new StringBuilder();
            for (int fold : folds) {
                text.append(fold);
            }
            assertThat(text.toString())
                    .as("%d groups", groups)
                    .isEqualTo(entry.getValue().stringValue());
        }
    }

    @Test
    void numpysGenericSortIsNotTheIdentityOnEqualKeys() {
        int[] order = NumpyGroupKFold.argsortOfEqualKeys(2415);
        assertThat(order[1]).isEqualTo(1606);
        assertThat(order).doesNotHaveDuplicates().hasSize(2415);
    }

    @Test
    void foldsAreBalanced() {
        int[] folds = FoldAssignment.numpyGroupKFold().assign(2413, 5);
        int[] counts = new int[5];
        for (int fold : folds) {
            counts[fold]++;
        }
        assertThat(counts).containsExactly(483, 483, 483, 482, 482);
    }

    @Test
    void aFixedAssignmentOnlyFitsItsOwnSize() {
        FoldAssignment fixed = FoldAssignment.fixed(new int[] {0, 1, 2, 3, 4, 0});
        assertThat(fixed.assign(6, 5)).containsExactly(0, 1, 2, 3, 4, 0);
        assertThatThrownBy(() -> fixed.assign(7, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FoldAssignment.fixed(new int[] {0, 5}).assign(2, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FoldAssignment.numpyGroupKFold().assign(4, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
