package ai.assay.reference.statistics;

/**
 * Tie groups and rank ranges of a sorted list from the tests between neighbours: a group is a maximal run of rows
 * where no neighbouring difference is significant, and every row of a group has the group's span of ranks as its rank
 * range. So "rank 3, range 2-5" says the data cannot tell this row apart from rows 2 to 5 by chained neighbour tests.
 *
 * @param group the group number of each row, from 1
 * @param firstRank the best rank (1-based) each row could have
 * @param lastRank the worst
 */
public record RankGroups(int[] group, int[] firstRank, int[] lastRank) {

    /** @param separated separated[i] tells whether row i and row i + 1 differ significantly (length rows - 1) */
    public static RankGroups of(boolean[] separated, int rows) {
        int[] group = new int[rows];
        int[] first = new int[rows];
        int[] last = new int[rows];
        int start = 0;
        int number = 1;
        for (int i = 0; i < rows; i++) {
            boolean endsGroup = i == rows - 1 || separated[i];
            if (endsGroup) {
                for (int j = start; j <= i; j++) {
                    group[j] = number;
                    first[j] = start + 1;
                    last[j] = i + 1;
                }
                number++;
                start = i + 1;
            }
        }
        return new RankGroups(group, first, last);
    }
}
