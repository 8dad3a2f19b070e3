package ai.assay.core.leaderboard;

import java.util.Arrays;
import java.util.Map;

/**
 * The examples two sides share, as row positions into each side's arrays, in the first side's (canonical) order.
 */
record SharedExamples(int[] rowsA, int[] rowsB) {

    int size() {
        return rowsA.length;
    }

    static SharedExamples of(JudgedExamples a, JudgedExamples b) {
        Map<String, Integer> positionsB = b.positions();
        int[] rowsA = new int[a.size()];
        int[] rowsB = new int[a.size()];
        int n = 0;
        for (int i = 0; i < a.size(); i++) {
            Integer j = positionsB.get(a.keys()[i]);
            if (j != null) {
                rowsA[n] = i;
                rowsB[n] = j;
                n++;
            }
        }
        return new SharedExamples(Arrays.copyOf(rowsA, n), Arrays.copyOf(rowsB, n));
    }

    /** Both arrays ascending. */
    static SharedExamples of(int[] docsA, int[] docsB) {
        int[] rowsA = new int[Math.min(docsA.length, docsB.length)];
        int[] rowsB = new int[rowsA.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < docsA.length && j < docsB.length) {
            if (docsA[i] == docsB[j]) {
                rowsA[n] = i++;
                rowsB[n] = j++;
                n++;
            } else if (docsA[i] < docsB[j]) {
                i++;
            } else {
                j++;
            }
        }
        return new SharedExamples(Arrays.copyOf(rowsA, n), Arrays.copyOf(rowsB, n));
    }
}
