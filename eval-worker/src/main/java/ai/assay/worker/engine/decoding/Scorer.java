package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.KvCache;
import ai.assay.worker.engine.runtime.TokenScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores (context, continuation) pairs as lm-evaluation-harness does: the input is
 * {@code (context + continuation)[-(maxLength+1):][:-1]}, the log-softmax (float32) at the last
 * {@code len(continuation)} positions gathered at the continuation's tokens and summed; greedy when each token is
 * the argmax. Only the gathered values leave the device.
 *
 * <p>Two paths, which give the same numbers up to float rounding:
 * <ul>
 *   <li><b>Shared context.</b> Requests of one call that share a context (the answer choices of a question) run the
 *       context once: a prefill of {@code context[:-1]} that keeps only the KV cache (through a copy of the graph
 *       without its logits where the runner has one), then every continuation, {@code context[-1:] +
 *       continuation[:-1]}, as a row over a copy of that cache. Multiple-choice tasks repeat a long context for 2
 *       to 13 short continuations, so this skips most of the positions.</li>
 *   <li><b>Whole input.</b> Everything else (a context no other request shares, a context cut on the left,
 *       batches of one row, and every request of a GroupQueryAttention graph) is one pass over the whole input
 *       from an empty past. Rows are right-padded with a mask and sorted longest first; requests whose inputs are
 *       identical (e.g. single-token answer choices) share one row, as lm-eval's logits cache does.</li>
 * </ul>
 */
final class Scorer {

    private final DecoderRunner runner;
    private final PaddingSide padding;
    private final boolean sharesContexts;
    private final int maxLength;
    private final BatchLimits limits;
    private final long passCost;

    /**
     * @param sharesContexts whether to use the shared-context path: it needs batches of several tokens per row after
     *                       a cache, which GroupQueryAttention graphs refuse
     */
    Scorer(DecoderRunner runner, PaddingSide padding, boolean sharesContexts, int maxLength, BatchLimits limits) {
        this.passCost = LengthBuckets.passCost(runner.device().isCuda());
        this.runner = runner;
        this.padding = padding;
        this.sharesContexts = sharesContexts;
        this.maxLength = maxLength;
        this.limits = limits;
    }

    void score(List<ScoringRequest> requests, ScoringSink sink) {
        Map<Key, List<Item>> byContext = new LinkedHashMap<>();
        List<Item> wholeInputs = new ArrayList<>();
        for (ScoringRequest request : requests) {
            Item item = item(request);
            if (sharesContexts && item.sharesContext()) {
                byContext
                        .computeIfAbsent(new Key(request.contextTokens()), key -> new ArrayList<>())
                        .add(item);
            } else {
                wholeInputs.add(item);
            }
        }
        List<SharedContext> shared = new ArrayList<>();
        byContext.forEach((context, items) -> {
            List<List<Item>> rows = rowsByInput(items);
            int perPass = rowsPerPass(context.tokens.length - 1);
            if (rows.size() < 2 || perPass < 2) {
                wholeInputs.addAll(items);
                return;
            }
            for (int start = 0; start < rows.size(); start += perPass) {
                shared.add(
                        new SharedContext(context.tokens, rows.subList(start, Math.min(rows.size(), start + perPass))));
            }
        });
        if (!scoreSharedContexts(shared, sink)) {
            return;
        }
        scoreWholeInputs(rowsByInput(wholeInputs), sink);
    }

    /** The most rows that may run after one prefix of {@code prefix} tokens: the batch size and the KV budget. */
    private int rowsPerPass(int prefix) {
        long kvRows = (limits.kvCacheBytes() / Math.max(1, kvBytes(1, prefix)) - 1) / 2;
        return (int) Math.min(limits.maxBatchSize(), kvRows);
    }

    /** The KV cache of {@code rows} rows of {@code width} tokens. */
    private long kvBytes(int rows, int width) {
        return (long) rows * width * runner.kvBytesPerToken();
    }

    /** Groups items with identical inputs into one row each, first seen first. */
    private static List<List<Item>> rowsByInput(List<Item> items) {
        Map<Key, List<Item>> byInput = new LinkedHashMap<>();
        for (Item item : items) {
            byInput.computeIfAbsent(new Key(item.input), key -> new ArrayList<>())
                    .add(item);
        }
        return new ArrayList<>(byInput.values());
    }

    /** Returns false when the sink asked to stop. */
    private boolean scoreSharedContexts(List<SharedContext> contexts, ScoringSink sink) {
        contexts.sort(Comparator.comparingInt((SharedContext c) -> -c.prefixLength()));
        int next = 0;
        while (next < contexts.size()) {
            if (sink.shouldStop()) {
                return false;
            }
            // Sorted longest prefix first: the first context of a batch sets the width of its cache.
            int prefixWidth = contexts.get(next).prefixLength();
            int rows = contexts.get(next).rows.size();
            int width = contexts.get(next).longestContinuation();
            int end = next + 1;
            while (end < contexts.size()) {
                SharedContext candidate = contexts.get(end);
                int newRows = rows + candidate.rows.size();
                int newWidth = Math.max(width, candidate.longestContinuation());
                // The prefixes' cache and up to two copies of each row (a split reads one and writes the other).
                boolean fits = newRows <= limits.maxBatchSize()
                        && (long) (end - next + 1) * prefixWidth <= limits.maxBatchTokens()
                        && (long) newRows * newWidth <= limits.maxBatchTokens()
                        && kvBytes(end - next + 1 + 2 * newRows, prefixWidth) <= limits.kvCacheBytes();
                if (!fits) {
                    break;
                }
                rows = newRows;
                width = newWidth;
                end++;
            }
            runShared(contexts.subList(next, end), prefixWidth, sink);
            next = end;
        }
        return true;
    }

    /**
     * One prefill of the contexts, then their rows, longest continuation first, in as many passes as
     * {@link LengthBuckets} finds cheapest (each pass padded to its longest row, and paying {@code passCost}).
     */
    private void runShared(List<SharedContext> contexts, int prefixWidth, ScoringSink sink) {
        record Row(List<Item> items, int context, int prefix, int length) {}
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < contexts.size(); c++) {
            int prefix = contexts.get(c).prefixLength();
            for (List<Item> items : contexts.get(c).rows) {
                rows.add(new Row(items, c, prefix, items.get(0).input.length - prefix));
            }
        }
        rows.sort(Comparator.comparingInt((Row row) -> -row.length()));
        int[] lengths = rows.stream().mapToInt(Row::length).toArray();
        List<int[]> passes = LengthBuckets.partition(lengths, passCost);
        int[] contextOfRow = rows.stream().mapToInt(Row::context).toArray();
        // What the next passes run after: the prefixes (one cache row a context) until the first split, then the
        // copies each split leaves for the rows after its pass (cache row i is row restStart + i).
        KvCache rest = runner.prefill(prefixBatch(contexts, prefixWidth));
        int restStart = -1;
        try {
            for (int p = 0; p < passes.size(); p++) {
                int from = passes.get(p)[0];
                int to = passes.get(p)[1];
                KvCache past;
                if (p == passes.size() - 1) {
                    past = runner.copyRows(rest, cacheRows(contextOfRow, restStart, from, to))[0];
                    rest = null;
                } else {
                    KvCache[] split = runner.copyRows(
                            rest,
                            cacheRows(contextOfRow, restStart, from, to),
                            cacheRows(contextOfRow, restStart, to, rows.size()));
                    past = split[0];
                    rest = split[1];
                    restStart = to;
                }
                List<Row> batch = rows.subList(from, to);
                try {
                    List<List<Item>> items = batch.stream().map(Row::items).toList();
                    TokenScores scores = continuations(
                            items,
                            batch.stream().mapToInt(Row::prefix).toArray(),
                            prefixWidth,
                            batch.get(0).length(),
                            past);
                    deliver(items, scores, sink);
                } finally {
                    // Consumed on success (closing it then does nothing); this frees it when a run fails.
                    past.close();
                }
            }
        } finally {
            if (rest != null) {
                rest.close();
            }
        }
    }

    /** The cache rows of rows {@code from..to}: their contexts' (restStart −1), else their own from restStart. */
    private static int[] cacheRows(int[] contextOfRow, int restStart, int from, int to) {
        int[] cacheRows = new int[to - from];
        for (int i = from; i < to; i++) {
            cacheRows[i - from] = restStart < 0 ? contextOfRow[i] : i - restStart;
        }
        return cacheRows;
    }

    /**
     * Every row's continuation in one pass after its prefix's cache (consumed): the cached prefix on the layout's
     * side of its columns, then the new tokens from the first new column on; the padding after a shorter row is
     * masked and comes after every token it scores. Scores in row order.
     */
    private TokenScores continuations(List<List<Item>> rows, int[] prefixes, int prefixWidth, int width, KvCache past) {
        int rowCount = rows.size();
        int maskWidth = prefixWidth + width;
        long[] ids = new long[rowCount * width];
        long[] mask = new long[rowCount * maskWidth];
        long[] positions = runner.hasPositionIds() ? new long[rowCount * width] : null;
        ScoredTokens scored = new ScoredTokens(rows);
        for (int r = 0; r < rowCount; r++) {
            int prefix = prefixes[r];
            int[] input = rows.get(r).get(0).input;
            int length = input.length - prefix;
            padding.fillMask(mask, r * maskWidth, prefix, prefixWidth);
            Arrays.fill(mask, r * maskWidth + prefixWidth, r * maskWidth + prefixWidth + length, 1);
            for (int j = 0; j < width; j++) {
                ids[r * width + j] = j < length ? input[prefix + j] : 0;
                if (positions != null) {
                    positions[r * width + j] = j < length ? prefix + j : 1;
                }
            }
            for (Item item : rows.get(r)) {
                // Every item of a row after a shared context continues it from the row's first new token.
                for (int j = 0; j < item.continuation.length; j++) {
                    scored.add(r * width + j, item.continuation[j]);
                }
            }
        }
        return runner.score(
                new DecoderBatch(rowCount, width, ids, maskWidth, mask, positions),
                past,
                scored.positions,
                scored.targets);
    }

    /** The contexts without their last token, padded on the layout's side to the longest. */
    private DecoderBatch prefixBatch(List<SharedContext> contexts, int width) {
        int batch = contexts.size();
        long[] ids = new long[batch * width];
        long[] mask = new long[batch * width];
        long[] positions = runner.hasPositionIds() ? new long[batch * width] : null;
        for (int b = 0; b < batch; b++) {
            int[] context = contexts.get(b).context;
            int length = context.length - 1;
            padding.fillMask(mask, b * width, length, width);
            if (positions != null) {
                Arrays.fill(positions, b * width, (b + 1) * width, 1);
            }
            for (int i = 0; i < length; i++) {
                int column = b * width + padding.column(i, length, width);
                ids[column] = context[i];
                if (positions != null) {
                    positions[column] = i;
                }
            }
        }
        return new DecoderBatch(batch, width, ids, width, mask, positions);
    }

    private void scoreWholeInputs(List<List<Item>> rows, ScoringSink sink) {
        rows.sort(Comparator.comparingInt((List<Item> row) -> -row.get(0).input.length));
        int next = 0;
        while (next < rows.size()) {
            if (sink.shouldStop()) {
                return;
            }
            int width = rows.get(next).get(0).input.length;
            int end = next + 1;
            while (end < rows.size()
                    && end - next < limits.maxBatchSize()
                    && (long) (end - next + 1) * width <= limits.maxBatchTokens()) {
                end++;
            }
            runWhole(rows.subList(next, end), width, sink);
            next = end;
        }
    }

    private void runWhole(List<List<Item>> rows, int width, ScoringSink sink) {
        int batch = rows.size();
        long[] ids = new long[batch * width];
        long[] mask = new long[batch * width];
        long[] positions = runner.hasPositionIds() ? new long[batch * width] : null;
        ScoredTokens scored = new ScoredTokens(rows);
        for (int b = 0; b < batch; b++) {
            int[] input = rows.get(b).get(0).input;
            PaddingSide.RIGHT.fillMask(mask, b * width, input.length, width);
            if (positions != null) {
                Arrays.fill(positions, b * width, (b + 1) * width, 1);
            }
            for (int i = 0; i < input.length; i++) {
                ids[b * width + i] = input[i];
                if (positions != null) {
                    positions[b * width + i] = i;
                }
            }
            for (Item item : rows.get(b)) {
                int first = input.length - item.continuation.length;
                for (int j = 0; j < item.continuation.length; j++) {
                    scored.add(b * width + first + j, item.continuation[j]);
                }
            }
        }
        TokenScores scores = runner.score(
                new DecoderBatch(batch, width, ids, width, mask, positions), scored.positions, scored.targets);
        deliver(rows, scores, sink);
    }

    /** Sums each item's token scores, in the order their positions were listed. */
    private static void deliver(List<List<Item>> rows, TokenScores scores, ScoringSink sink) {
        int n = 0;
        for (List<Item> row : rows) {
            for (Item item : row) {
                double sum = 0;
                boolean greedy = true;
                for (int j = 0; j < item.continuation.length; j++) {
                    sum += scores.logProbs()[n];
                    greedy &= scores.greedy()[n];
                    n++;
                }
                sink.accept(new ScoringResult(item.id, sum, greedy));
            }
        }
    }

    private Item item(ScoringRequest request) {
        int[] context = request.contextTokens();
        int[] continuation = request.continuationTokens();
        if (continuation.length == 0) {
            throw new IllegalArgumentException("request " + request.id() + ": empty continuation");
        }
        if (context.length == 0) {
            throw new IllegalArgumentException(
                    "request " + request.id() + ": empty context (lm-eval puts the prefix token, BOS or EOS, there)");
        }
        if (continuation.length > maxLength) {
            throw new IllegalArgumentException("request " + request.id() + ": the continuation has "
                    + continuation.length + " tokens, more than the model's " + maxLength);
        }
        int total = context.length + continuation.length;
        int start = Math.max(0, total - (maxLength + 1));
        int[] input = new int[total - 1 - start];
        for (int i = 0; i < input.length; i++) {
            int at = start + i;
            input[i] = at < context.length ? context[at] : continuation[at - context.length];
        }
        return new Item(request.id(), input, continuation, start == 0 && context.length >= 2);
    }

    /**
     * The flat positions of the logits to score ({@code row * width + column}) and the token expected at each, in
     * the order {@link #deliver} reads the scores back: every item of every row, its continuation in order.
     */
    private static final class ScoredTokens {
        final int[] positions;
        final int[] targets;
        private int count;

        ScoredTokens(List<List<Item>> rows) {
            int size = rows.stream()
                    .flatMap(List::stream)
                    .mapToInt(item -> item.continuation.length)
                    .sum();
            this.positions = new int[size];
            this.targets = new int[size];
        }

        void add(int position, int target) {
            positions[count] = position;
            targets[count++] = target;
        }
    }

    /**
     * @param sharesContext whether the item may run after a cached prefix: its context was not cut and leaves at
     *                      least one token for the prefix
     */
    private record Item(String id, int[] input, int[] continuation, boolean sharesContext) {}

    /** Rows (distinct inputs) after one context; the prefix is the context without its last token. */
    private record SharedContext(int[] context, List<List<Item>> rows) {

        int prefixLength() {
            return context.length - 1;
        }

        int longestContinuation() {
            return rows.stream()
                    .mapToInt(row -> row.get(0).input.length - prefixLength())
                    .max()
                    .orElseThrow();
        }
    }

    private record Key(int[] tokens) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(tokens, key.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }
}
