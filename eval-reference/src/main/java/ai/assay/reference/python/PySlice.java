package ai.assay.reference.python;

/** The indices Python's {@code seq[start:stop:step]} selects. */
public final class PySlice {

    private PySlice() {}

    public static int[] indices(int length, Integer start, Integer stop, Integer step) {
        int s = step == null ? 1 : step;
        if (s == 0) {
            throw new IllegalArgumentException("slice step cannot be zero");
        }
        int lower = s > 0 ? 0 : -1;
        int upper = s > 0 ? length : length - 1;
        int from = start == null ? (s > 0 ? lower : upper) : bound(start, length, lower, upper);
        int to = stop == null ? (s > 0 ? upper : lower) : bound(stop, length, lower, upper);
        int count = s > 0 ? (to > from ? (to - from + s - 1) / s : 0) : (from > to ? (from - to - s - 1) / -s : 0);
        int[] result = new int[count];
        for (int k = 0; k < count; k++) {
            result[k] = from + k * s;
        }
        return result;
    }

    private static int bound(int index, int length, int lower, int upper) {
        if (index < 0) {
            return Math.max(index + length, lower);
        }
        return Math.min(index, upper);
    }
}
