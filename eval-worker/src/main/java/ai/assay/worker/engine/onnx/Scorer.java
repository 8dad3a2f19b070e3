package ai.assay.worker.engine.onnx;

import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.ort.DecoderBatch;
import ai.assay.worker.engine.ort.DecoderRunner;
import ai.assay.worker.engine.ort.TokenScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores (context, continuation) pairs as lm-evaluation-harness does: the input is
 * {@code (context + continuation)[-(maxLength+1):][:-1]}, one forward pass from an empty past, the log-softmax
 * (float32) at the last {@code len(continuation)} positions gathered at the continuation's tokens and summed;
 * greedy when each token is the argmax. Rows are right-padded with a mask and sorted longest first; requests whose
 * inputs are identical (e.g. single-token answer choices) share one row, as lm-eval's logits cache does. Only the
 * gathered values leave the device.
 */
final class Scorer {

    private final DecoderRunner runner;
    private final int maxLength;
    private final BatchLimits limits;

    Scorer(DecoderRunner runner, int maxLength, BatchLimits limits) {
        this.runner = runner;
        this.maxLength = maxLength;
        this.limits = limits;
    }

    void score(List<ScoringRequest> requests, ScoringSink sink) {
        Map<Key, List<Item>> byInput = new LinkedHashMap<>();
        for (ScoringRequest request : requests) {
            Item item = item(request);
            byInput.computeIfAbsent(new Key(item.input), key -> new ArrayList<>()).add(item);
        }
        List<List<Item>> rows = new ArrayList<>(byInput.values());
        rows.sort(Comparator.comparingInt((List<Item> row) -> -row.get(0).input.length));
        int next = 0;
        while (next < rows.size()) {
            if (sink.shouldStop()) {
                return;
            }
            int width = rows.get(next).get(0).input.length;
            int end = next + 1;
            while (end < rows.size() && end - next < limits.maxBatchSize()
                    && (long) (end - next + 1) * width <= limits.maxBatchTokens()) {
                end++;
            }
            run(rows.subList(next, end), width, sink);
            next = end;
        }
    }

    private void run(List<List<Item>> rows, int width, ScoringSink sink) {
        int batch = rows.size();
        long[] ids = new long[batch * width];
        long[] mask = new long[batch * width];
        long[] positions = runner.hasPositionIds() ? new long[batch * width] : null;
        int scored = 0;
        for (List<Item> row : rows) {
            for (Item item : row) {
                scored += item.continuation.length;
            }
        }
        int[] flat = new int[scored];
        int[] targets = new int[scored];
        int n = 0;
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
                    flat[n] = b * width + first + j;
                    targets[n++] = item.continuation[j];
                }
            }
        }
        TokenScores scores = runner.score(new DecoderBatch(batch, width, ids, width, mask, positions), flat, targets);
        n = 0;
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
            throw new IllegalArgumentException("request " + request.id()
                    + ": empty context (lm-eval puts the prefix token, BOS or EOS, there)");
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
        return new Item(request.id(), input, continuation);
    }

    private record Item(String id, int[] input, int[] continuation) {
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
