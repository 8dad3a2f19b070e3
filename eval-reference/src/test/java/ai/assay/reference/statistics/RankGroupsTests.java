package ai.assay.reference.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RankGroupsTests {

    @Test
    void significantGapsSplitGroupsAndGroupsGiveRankRanges() {
        // rows 1-2 tied, a gap, rows 3-5 tied, a gap, row 6 alone
        RankGroups groups = RankGroups.of(new boolean[] {false, true, false, false, true}, 6);

        assertThat(groups.group()).containsExactly(1, 1, 2, 2, 2, 3);
        assertThat(groups.firstRank()).containsExactly(1, 1, 3, 3, 3, 6);
        assertThat(groups.lastRank()).containsExactly(2, 2, 5, 5, 5, 6);
    }

    @Test
    void noSignificantGapMeansOneGroup() {
        RankGroups groups = RankGroups.of(new boolean[] {false, false}, 3);

        assertThat(groups.group()).containsExactly(1, 1, 1);
        assertThat(groups.lastRank()).containsExactly(3, 3, 3);
    }

    @Test
    void aSingleRowIsItsOwnGroup() {
        assertThat(RankGroups.of(new boolean[0], 1).firstRank()).containsExactly(1);
    }
}
