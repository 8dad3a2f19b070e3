package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.FinishReason;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.TextTokenizer;
import ai.assay.worker.engine.runtime.DecodeStep;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.KvCache;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Generates completions with continuous batching: prompts wait sorted by length (longest first); a batch of up
 * to {@code maxBatchSize} rows decodes one token per row per step with the KV cache kept on the device; a row that
 * finishes leaves the batch at once (its cache rows are dropped and the cache trimmed to the rows still running),
 * and free slots are refilled by prefilling waiting prompts and merging their caches into the batch.
 */
final class Generator {

    private final DecoderRunner runner;
    private final PaddingSide padding;
    private final TextTokenizer tokenizer;
    private final boolean[] eos;
    private final int maxLength;
    private final BatchLimits limits;

    Generator(
            DecoderRunner runner,
            PaddingSide padding,
            TextTokenizer tokenizer,
            List<Integer> eosTokenIds,
            int vocabSize,
            int maxLength,
            BatchLimits limits) {
        this.runner = runner;
        this.padding = padding;
        this.tokenizer = tokenizer;
        this.eos = new boolean[vocabSize];
        for (int id : eosTokenIds) {
            if (id >= 0 && id < vocabSize) {
                eos[id] = true;
            }
        }
        this.maxLength = maxLength;
        this.limits = limits;
    }

    void generate(List<GenerationRequest> requests, GenerationSink sink) {
        Deque<GenerationRequest> waiting = new ArrayDeque<>(requests.stream()
                .sorted(Comparator.comparingInt((GenerationRequest r) -> -r.promptTokens().length))
                .toList());
        List<Row> active = new ArrayList<>();
        KvCache cache = null;
        int width = 0;
        try {
            while (!waiting.isEmpty() || !active.isEmpty()) {
                if (sink.shouldStop()) {
                    return;
                }
                int free = limits.maxBatchSize() - active.size();
                List<Row> admitted = List.of();
                if (!waiting.isEmpty()
                        && free > 0
                        && (active.isEmpty() || free >= Math.min(limits.refillSlots(), waiting.size()))) {
                    admitted = admit(waiting, free, active);
                }
                if (!admitted.isEmpty()) {
                    Prefill prefill = prefill(admitted);
                    if (cache == null) {
                        cache = prefill.cache();
                        width = prefill.width();
                    } else {
                        int merged = Math.max(width, prefill.width());
                        cache = runner.merge(
                                cache,
                                padding.widen(width, merged),
                                prefill.cache(),
                                padding.widen(prefill.width(), merged));
                        width = merged;
                    }
                    active.addAll(admitted);
                } else {
                    DecodeStep step = decode(active, cache, width);
                    cache = step.cache();
                    width++;
                    for (int r = 0; r < active.size(); r++) {
                        Row row = active.get(r);
                        row.length++;
                        row.accept(row.sampler.next(step.logits(), r * step.vocabSize(), step.vocabSize()));
                    }
                }
                List<Row> kept = new ArrayList<>(active.size());
                List<Integer> keptIndex = new ArrayList<>(active.size());
                for (int r = 0; r < active.size(); r++) {
                    Row row = active.get(r);
                    if (row.finish != null) {
                        sink.accept(row.result());
                    } else {
                        kept.add(row);
                        keptIndex.add(r);
                    }
                }
                if (kept.size() < active.size()) {
                    if (kept.isEmpty()) {
                        cache.close();
                        cache = null;
                        width = 0;
                    } else {
                        int longest =
                                kept.stream().mapToInt(row -> row.length).max().orElseThrow();
                        cache = runner.select(
                                cache,
                                keptIndex.stream().mapToInt(Integer::intValue).toArray(),
                                padding.narrow(width, longest));
                        width = longest;
                    }
                    active = kept;
                }
            }
        } finally {
            if (cache != null) {
                cache.close();
            }
        }
    }

    /** Takes the next waiting prompts that fit the free slots, the prefill token budget and the KV budget. */
    private List<Row> admit(Deque<GenerationRequest> waiting, int free, List<Row> active) {
        List<Row> admitted = new ArrayList<>();
        int peak = active.stream().mapToInt(Row::peakLength).max().orElse(0);
        int longestPrompt = 0;
        while (!waiting.isEmpty() && admitted.size() < free) {
            Row candidate = new Row(waiting.peekFirst(), System.nanoTime());
            int rows = admitted.size() + 1;
            int prompt = Math.max(longestPrompt, candidate.prompt.length);
            int newPeak = Math.max(peak, candidate.peakLength());
            // Past and present coexist during a step: twice the cache of the batch at its widest.
            long kvBytes = 2L * (active.size() + rows) * newPeak * runner.kvBytesPerToken();
            boolean first = active.isEmpty() && admitted.isEmpty();
            if (!first && ((long) rows * prompt > limits.maxBatchTokens() || kvBytes > limits.kvCacheBytes())) {
                break;
            }
            waiting.removeFirst();
            admitted.add(candidate);
            longestPrompt = prompt;
            peak = newPeak;
        }
        return admitted;
    }

    private record Prefill(KvCache cache, int width) {}

    private Prefill prefill(List<Row> rows) {
        int width = rows.stream().mapToInt(row -> row.prompt.length).max().orElseThrow();
        int batch = rows.size();
        long[] ids = new long[batch * width];
        long[] mask = new long[batch * width];
        long[] positions = runner.hasPositionIds() ? new long[batch * width] : null;
        int[] last = new int[batch];
        for (int b = 0; b < batch; b++) {
            int[] prompt = rows.get(b).prompt;
            padding.fillMask(mask, b * width, prompt.length, width);
            if (positions != null) {
                Arrays.fill(positions, b * width, (b + 1) * width, 1);
            }
            for (int i = 0; i < prompt.length; i++) {
                int column = b * width + padding.column(i, prompt.length, width);
                ids[column] = prompt[i];
                if (positions != null) {
                    positions[column] = i;
                }
            }
            last[b] = b * width + padding.column(prompt.length - 1, prompt.length, width);
        }
        DecodeStep step = runner.step(new DecoderBatch(batch, width, ids, width, mask, positions), null, last);
        for (int b = 0; b < batch; b++) {
            Row row = rows.get(b);
            row.length = row.prompt.length;
            row.accept(row.sampler.next(step.logits(), b * step.vocabSize(), step.vocabSize()));
        }
        return new Prefill(step.cache(), width);
    }

    private DecodeStep decode(List<Row> rows, KvCache cache, int width) {
        int batch = rows.size();
        int maskWidth = width + 1;
        long[] ids = new long[batch];
        long[] mask = new long[batch * maskWidth];
        long[] positions = runner.hasPositionIds() ? new long[batch] : null;
        int[] all = new int[batch];
        for (int b = 0; b < batch; b++) {
            Row row = rows.get(b);
            ids[b] = row.generated[row.count - 1];
            padding.fillMask(mask, b * maskWidth, row.length + 1, maskWidth);
            if (positions != null) {
                positions[b] = row.length;
            }
            all[b] = b;
        }
        return runner.step(new DecoderBatch(batch, 1, ids, maskWidth, mask, positions), cache, all);
    }

    /** One request in flight. {@code length} counts the tokens in its cache rows. */
    private final class Row {
        final GenerationRequest request;
        final int[] prompt;
        final int maxNew;
        final int[] generated;
        final Sampler sampler;
        final StopStrings stops;
        final long startNanos;
        int count;
        int length;
        FinishReason finish;

        Row(GenerationRequest request, long startNanos) {
            this.request = request;
            this.prompt = fitPrompt(request.promptTokens(), request.sampling().maxNewTokens());
            this.maxNew = Math.max(0, Math.min(request.sampling().maxNewTokens(), maxLength - prompt.length));
            this.generated = new int[Math.max(1, maxNew)];
            this.sampler = new Sampler(request.sampling());
            this.stops = new StopStrings(request.sampling().stop());
            this.startNanos = startNanos;
        }

        int peakLength() {
            return prompt.length + maxNew;
        }

        void accept(int token) {
            if (maxNew == 0) {
                finish = FinishReason.LENGTH;
                return;
            }
            generated[count++] = token;
            if (token < eos.length && eos[token]) {
                finish = FinishReason.EOS;
            } else if (stops.matches(tokenizer, generated, count)) {
                finish = FinishReason.STOP;
            } else if (count >= maxNew) {
                finish = FinishReason.LENGTH;
            }
        }

        GenerationResult result() {
            String text = tokenizer.decode(Arrays.copyOf(generated, count), true);
            if (stops.any()) {
                text = stops.cut(text);
            }
            long millis = (System.nanoTime() - startNanos) / 1_000_000;
            return new GenerationResult(request.id(), text, prompt.length, count, finish, millis);
        }
    }

    /**
     * A prompt that leaves no room for the completion keeps its last {@code maxLength - maxNewTokens} tokens
     * (at least one), as lm-eval left-truncates contexts.
     */
    private int[] fitPrompt(int[] prompt, int maxNewTokens) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("empty prompt: pass at least one token (e.g. BOS)");
        }
        if (prompt.length + maxNewTokens <= maxLength) {
            return prompt;
        }
        int keep = Math.max(1, Math.min(prompt.length, maxLength - maxNewTokens));
        return Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length);
    }
}
