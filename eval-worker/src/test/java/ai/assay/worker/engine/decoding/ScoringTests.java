package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.RunKind;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.assay.worker.engine.testmodels.TinyDecoder.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScoringTests {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(Layout.class)
    void scoresEqualALogSoftmaxOfTheFullLogitsComputedInJava(Layout layout) {
        TinyDecoder model = TinyDecoder.small(layout, TestEngines.VOCAB);
        List<ScoringRequest> requests = randomRequests(new Random(3), 12);
        // Two answer choices of one token after the same context share a row, as in lm-eval's logits cache.
        requests.add(new ScoringRequest("choiceA", new int[] {9, 8, 7, 6}, new int[] {20}));
        requests.add(new ScoringRequest("choiceB", new int[] {9, 8, 7, 6}, new int[] {21}));
        Map<String, ScoringResult> scored;
        try (LanguageModel lm =
                TestEngines.load(model, directory, TestEngines.cpu(4).withMaxBatchTokens(64))) {
            scored = score(lm, requests);
        }
        try (DecoderRunner reference = DecoderRunner.open(model.build(), RunnerOptions.on(ExecutionDevice.CPU, 1))) {
            for (ScoringRequest request : requests) {
                double[] expected = javaLogLikelihood(reference, request);
                ScoringResult result = scored.get(request.id());
                assertThat(result.logLikelihood()).as(request.id()).isCloseTo(expected[0], within(1e-3));
                assertThat(result.greedy()).as(request.id()).isEqualTo(expected[1] == 1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void answerChoicesAfterASharedContextScoreAsIfEachRanAlone(Layout layout) {
        TinyDecoder model = TinyDecoder.small(layout, TestEngines.VOCAB);
        Random random = new Random(11);
        List<ScoringRequest> requests = new ArrayList<>();
        // Questions with contexts of different lengths and 2 to 5 choices of 1 to 6 tokens, as in ARC or MMLU; one
        // question has more choices than a batch holds; one context of a single token has no prefix to share.
        int[] choiceCounts = {4, 2, 5, 3, 7, 4};
        for (int q = 0; q < choiceCounts.length; q++) {
            int[] context =
                    random.ints(2 + random.nextInt(30), 3, TestEngines.VOCAB).toArray();
            for (int c = 0; c < choiceCounts[q]; c++) {
                int[] continuation =
                        random.ints(1 + random.nextInt(6), 3, TestEngines.VOCAB).toArray();
                requests.add(new ScoringRequest("q" + q + "c" + c, context, continuation));
            }
        }
        requests.add(new ScoringRequest("bos1", new int[] {1}, new int[] {30, 31}));
        requests.add(new ScoringRequest("bos2", new int[] {1}, new int[] {32}));
        requests.add(new ScoringRequest("dup1", new int[] {5, 6, 7}, new int[] {40, 41}));
        requests.add(new ScoringRequest("dup2", new int[] {5, 6, 7}, new int[] {40, 41}));
        requests.add(new ScoringRequest("dup3", new int[] {5, 6, 7}, new int[] {42}));
        Map<String, ScoringResult> batched;
        Map<String, ScoringResult> alone;
        try (LanguageModel lm =
                TestEngines.load(model, directory, TestEngines.cpu(6).withMaxBatchTokens(96))) {
            batched = score(lm, requests);
        }
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(1))) {
            EngineTimes before = lm.times();
            alone = score(lm, requests);
            // One by one, every distinct input is a pass of its own over its whole input: nothing is shared.
            assertThat(lm.times().since(before).byKind()).containsOnlyKeys(RunKind.SCORING_PASS, RunKind.TOKEN_SCORES);
        }
        try (DecoderRunner reference = DecoderRunner.open(model.build(), RunnerOptions.on(ExecutionDevice.CPU, 1))) {
            for (ScoringRequest request : requests) {
                double[] expected = javaLogLikelihood(reference, request);
                assertThat(batched.get(request.id()).logLikelihood())
                        .as(request.id())
                        .isCloseTo(expected[0], within(1e-3))
                        .isCloseTo(alone.get(request.id()).logLikelihood(), within(1e-4));
                assertThat(batched.get(request.id()).greedy()).as(request.id()).isEqualTo(expected[1] == 1);
            }
        }
    }

    @Test
    void choicesOfVeryDifferentLengthsRunInPassesOfTheirOwnAndStillScoreRight() {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, TestEngines.VOCAB);
        Random random = new Random(17);
        int[] contextA = random.ints(6, 3, TestEngines.VOCAB).toArray();
        int[] contextB = random.ints(9, 3, TestEngines.VOCAB).toArray();
        // Sorted by length the rows go A60 B58 | A20 B19 | A3 B2 B1: three passes are cheaper than one.
        List<ScoringRequest> requests = new ArrayList<>();
        int[][] lengths = {{60, 20, 3}, {58, 19, 2, 1}};
        for (int q = 0; q < 2; q++) {
            for (int length : lengths[q]) {
                requests.add(new ScoringRequest(
                        (q == 0 ? "A" : "B") + length,
                        q == 0 ? contextA : contextB,
                        random.ints(length, 3, TestEngines.VOCAB).toArray()));
            }
        }
        Map<String, ScoringResult> scored;
        EngineTimes runs;
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(8))) {
            EngineTimes before = lm.times();
            scored = score(lm, requests);
            runs = lm.times().since(before);
        }
        // One prefill of both contexts without their last tokens (5 and 8 tokens, left-padded to 8), then the three
        // passes, each after its own copy of the cache: the copy for the pass and one of the rest for the passes
        // after it (7 + 5 + 3 rows). A pass runs each row's last context token and its continuation but the last
        // token, padded to its longest row.
        assertThat(runs.byKind())
                .containsOnlyKeys(RunKind.PREFILL, RunKind.SCORING_PASS, RunKind.TOKEN_SCORES, RunKind.CACHE_COPY);
        assertThat(runs.of(RunKind.PREFILL))
                .extracting("runs", "rows", "positions", "padding")
                .containsExactly(1L, 2L, 16L, 3L);
        assertThat(runs.of(RunKind.SCORING_PASS))
                .extracting("runs", "rows", "positions", "padding")
                .containsExactly(3L, 7L, 2L * 60 + 2 * 20 + 3 * 3, 2L + 1 + 3);
        assertThat(runs.of(RunKind.CACHE_COPY)).extracting("runs", "rows").containsExactly(3L, 15L);
        assertThat(runs.of(RunKind.TOKEN_SCORES).rows()).isEqualTo(60 + 20 + 3 + 58 + 19 + 2 + 1);
        try (DecoderRunner reference = DecoderRunner.open(model.build(), RunnerOptions.on(ExecutionDevice.CPU, 1))) {
            for (ScoringRequest request : requests) {
                double[] expected = javaLogLikelihood(reference, request);
                assertThat(scored.get(request.id()).logLikelihood())
                        .as(request.id())
                        .isCloseTo(expected[0], within(1e-3));
                assertThat(scored.get(request.id()).greedy()).as(request.id()).isEqualTo(expected[1] == 1);
            }
        }
    }

    @Test
    void aSharedContextNearTheModelsLengthStillScores() {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, TestEngines.VOCAB);
        int max = model.maxPositions();
        int[] longContext = new Random(5).ints(max - 3, 3, TestEngines.VOCAB).toArray();
        int[] shortContext = {7, 8, 9};
        // The long question's first choice reaches the last position; in one batch with it, the short question's
        // rows run after a cache mostly of padding, and its 10-token choice is wider than the long one's.
        List<ScoringRequest> requests = List.of(
                new ScoringRequest("longA", longContext, new int[] {10, 11, 12, 13}),
                new ScoringRequest("longB", longContext, new int[] {14}),
                new ScoringRequest("shortA", shortContext, new int[] {20, 21, 22, 23, 24, 25, 26, 27, 28, 29}),
                new ScoringRequest("shortB", shortContext, new int[] {30}));
        Map<String, ScoringResult> scored;
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(8))) {
            scored = score(lm, requests);
        }
        try (DecoderRunner reference = DecoderRunner.open(model.build(), RunnerOptions.on(ExecutionDevice.CPU, 1))) {
            for (ScoringRequest request : requests) {
                assertThat(scored.get(request.id()).logLikelihood())
                        .as(request.id())
                        .isCloseTo(javaLogLikelihood(reference, request)[0], within(1e-3));
            }
        }
    }

    @Test
    void aGreedyContinuationIsReportedAsGreedy() {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, TestEngines.VOCAB);
        int[] context = {40, 41, 42};
        int[] continuation = new int[4];
        try (DecoderRunner reference = DecoderRunner.open(model.build(), RunnerOptions.on(ExecutionDevice.CPU, 1))) {
            int[] sequence = context.clone();
            for (int i = 0; i < continuation.length; i++) {
                float[] logits = reference.fullLogits(batchOf(sequence));
                continuation[i] = argmax(logits, (sequence.length - 1) * TestEngines.VOCAB, TestEngines.VOCAB);
                sequence = append(sequence, continuation[i]);
            }
        }
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(4))) {
            Map<String, ScoringResult> scored = score(
                    lm,
                    List.of(new ScoringRequest("g", context, continuation), new ScoringRequest("n", context, new int[] {
                        continuation[0], (continuation[1] + 1) % 300
                    })));
            assertThat(scored.get("g").greedy()).isTrue();
            assertThat(scored.get("n").greedy()).isFalse();
        }
    }

    @Test
    void inputsLongerThanTheModelAreCutOnTheLeftAsLmEvalDoes() {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, TestEngines.VOCAB);
        int max = model.maxPositions();
        int[] context = new int[max + 20];
        for (int i = 0; i < context.length; i++) {
            context[i] = 3 + i % 250;
        }
        int[] continuation = {11, 12, 13};
        // Expected: the last max+1 tokens of context+continuation, scored from the start of that window.
        int[] whole = append(append(append(context, 11), 12), 13);
        int[] window = java.util.Arrays.copyOfRange(whole, whole.length - (max + 1), whole.length);
        int[] windowContext = java.util.Arrays.copyOf(window, window.length - 3);
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(4))) {
            Map<String, ScoringResult> scored = score(
                    lm,
                    List.of(
                            new ScoringRequest("long", context, continuation),
                            new ScoringRequest("window", windowContext, continuation)));
            assertThat(scored.get("long").logLikelihood())
                    .isEqualTo(scored.get("window").logLikelihood());
            assertThatThrownBy(() -> score(lm, List.of(new ScoringRequest("e", new int[0], continuation))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty context");
        }
    }

    private static double[] javaLogLikelihood(DecoderRunner runner, ScoringRequest request) {
        int[] whole = append(request.contextTokens(), request.continuationTokens());
        int[] input = java.util.Arrays.copyOf(whole, whole.length - 1);
        float[] logits = runner.fullLogits(batchOf(input));
        int vocab = TestEngines.VOCAB;
        double sum = 0;
        boolean greedy = true;
        int first = input.length - request.continuationTokens().length;
        for (int j = 0; j < request.continuationTokens().length; j++) {
            int offset = (first + j) * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[offset + v]);
            }
            double total = 0;
            for (int v = 0; v < vocab; v++) {
                total += Math.exp(logits[offset + v] - max);
            }
            int target = request.continuationTokens()[j];
            sum += logits[offset + target] - max - Math.log(total);
            greedy &= argmax(logits, offset, vocab) == target;
        }
        return new double[] {sum, greedy ? 1 : 0};
    }

    private static DecoderBatch batchOf(int[] tokens) {
        long[] ids = new long[tokens.length];
        long[] mask = new long[tokens.length];
        long[] positions = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            ids[i] = tokens[i];
            mask[i] = 1;
            positions[i] = i;
        }
        return new DecoderBatch(1, tokens.length, ids, tokens.length, mask, positions);
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] append(int[] a, int... b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<ScoringRequest> randomRequests(Random random, int count) {
        List<ScoringRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] context =
                    random.ints(1 + random.nextInt(20), 3, TestEngines.VOCAB).toArray();
            int[] continuation =
                    random.ints(1 + random.nextInt(5), 3, TestEngines.VOCAB).toArray();
            requests.add(new ScoringRequest("q" + i, context, continuation));
        }
        return requests;
    }

    private static Map<String, ScoringResult> score(LanguageModel lm, List<ScoringRequest> requests) {
        Map<String, ScoringResult> results = new TreeMap<>();
        lm.loglikelihood(requests, result -> results.put(result.id(), result));
        assertThat(results).hasSize(requests.size());
        return results;
    }
}
