package ai.assay.worker.engine.decoding;

/**
 * Where a batch pads its shorter rows, and what that means for the attention mask and the KV cache's time axis.
 * Optimum exports (standard attention, mask read per position) take left padding: every row's tokens end at the
 * last column. genai exports (GroupQueryAttention, which reads only each row's token count from the mask) need
 * right padding: every row's tokens start at column 0.
 */
enum PaddingSide {
    LEFT,
    RIGHT;

    /** The mask column of a row's {@code index}-th real token in a width-{@code width} batch of its length. */
    int column(int index, int rowLength, int width) {
        return this == LEFT ? width - rowLength + index : index;
    }

    /** Fills one row of an attention mask: {@code length} real tokens in a row of {@code width}. */
    void fillMask(long[] mask, int offset, int length, int width) {
        int start = column(0, length, width);
        for (int i = 0; i < width; i++) {
            mask[offset + i] = (i >= start && i < start + length) ? 1 : 0;
        }
    }

    /**
     * Time indices that re-lay a cache of width {@code from} at width {@code to} (≥ from); columns that become
     * padding repeat index 0, whose value the mask hides.
     */
    int[] widen(int from, int to) {
        int[] times = new int[to];
        int shift = this == LEFT ? to - from : 0;
        for (int i = 0; i < from; i++) {
            times[shift + i] = i;
        }
        return times;
    }

    /** Time indices that keep the columns a set of rows (the longest of which has {@code longest} tokens) use. */
    int[] narrow(int width, int longest) {
        int[] times = new int[longest];
        int start = this == LEFT ? width - longest : 0;
        for (int i = 0; i < longest; i++) {
            times[i] = start + i;
        }
        return times;
    }
}
