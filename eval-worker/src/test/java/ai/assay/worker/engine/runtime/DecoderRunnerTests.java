package ai.assay.worker.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.assay.worker.engine.testmodels.TinyDecoder.Layout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DecoderRunnerTests {

    private static final int VOCAB = 300;
    private static final long[] TOKENS = {5, 17, 42, 99, 3, 250, 7, 61, 130, 12};

    @ParameterizedTest
    @EnumSource(Layout.class)
    void incrementalDecodingEqualsAFullPass(Layout layout) {
        try (DecoderRunner runner = open(TinyDecoder.small(layout, VOCAB), true)) {
            float[] full = runner.fullLogits(single(TOKENS, 0, TOKENS.length));
            float[][] incremental = incremental(runner, 4);
            for (int position = 3; position < TOKENS.length; position++) {
                float[] expected = Arrays.copyOfRange(full, position * VOCAB, (position + 1) * VOCAB);
                assertThat(maxDiff(expected, incremental[position]))
                        .as("position %d", position)
                        .isLessThan(1e-4f);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void theIoBindingPathAndPlainRunsAgree(Layout layout) {
        TinyDecoder model = TinyDecoder.small(layout, VOCAB);
        float[][] bound;
        float[][] plain;
        try (DecoderRunner runner = open(model, true)) {
            bound = incremental(runner, 3);
        }
        try (DecoderRunner runner = open(model, false)) {
            plain = incremental(runner, 3);
        }
        for (int position = 2; position < TOKENS.length; position++) {
            assertThat(maxDiff(bound[position], plain[position])).isLessThan(1e-6f);
        }
    }

    @Test
    void selectingAndMergingRowsKeepsEachRowsCache() {
        // Optimum layout, left padding: row 0 = TOKENS[0..6), row 1 = TOKENS[2..6) padded by two on the left.
        try (DecoderRunner runner = open(TinyDecoder.small(Layout.OPTIMUM, VOCAB), true)) {
            float[] alone = runner.fullLogits(single(TOKENS, 2, 8));
            long[] ids = {5, 17, 42, 99, 3, 250, 0, 0, 42, 99, 3, 250};
            long[] mask = {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1};
            long[] positions = {0, 1, 2, 3, 4, 5, 1, 1, 0, 1, 2, 3};
            DecodeStep prefill = runner.step(new DecoderBatch(2, 6, ids, 6, mask, positions), null, new int[] {5, 11});
            // Keep row 1 only and drop its two padding steps.
            KvCache row1 = runner.select(prefill.cache(), new int[] {1}, new int[] {2, 3, 4, 5});
            DecodeStep next = runner.step(
                    new DecoderBatch(1, 1, new long[] {7}, 5, new long[] {1, 1, 1, 1, 1}, new long[] {4}),
                    row1,
                    new int[] {0});
            assertThat(maxDiff(next.logits(), Arrays.copyOfRange(alone, 4 * VOCAB, 5 * VOCAB)))
                    .isLessThan(1e-4f);

            // Merge it with a fresh one-row prefill of a 2-token prompt (padded on the left to 5 steps).
            DecodeStep other = runner.step(single(new long[] {61, 130}, 0, 2), null, new int[] {1});
            KvCache merged =
                    runner.merge(next.cache(), new int[] {0, 1, 2, 3, 4}, other.cache(), new int[] {0, 0, 0, 0, 1});
            assertThat(merged.batch()).isEqualTo(2);
            DecodeStep both = runner.step(
                    new DecoderBatch(
                            2, 1, new long[] {61, 12}, 6, new long[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1}, new long[] {
                                5, 2
                            }),
                    merged,
                    new int[] {0, 1});
            assertThat(maxDiff(
                            Arrays.copyOfRange(both.logits(), 0, VOCAB),
                            Arrays.copyOfRange(alone, 5 * VOCAB, 6 * VOCAB)))
                    .isLessThan(1e-4f);
            float[] otherAlone = runner.fullLogits(single(new long[] {61, 130, 12}, 0, 3));
            assertThat(maxDiff(
                            Arrays.copyOfRange(both.logits(), VOCAB, 2 * VOCAB),
                            Arrays.copyOfRange(otherAlone, 2 * VOCAB, 3 * VOCAB)))
                    .isLessThan(1e-4f);
            both.cache().close();
        }
    }

    @Test
    void copyingRowsIntoTwoPartsGivesEachPartItsRowsCaches() {
        try (DecoderRunner runner = open(TinyDecoder.small(Layout.OPTIMUM, VOCAB), true)) {
            // Two prompts of 4 tokens: TOKENS[0..4) and TOKENS[4..8).
            long[] ids = {5, 17, 42, 99, 3, 250, 7, 61};
            long[] mask = {1, 1, 1, 1, 1, 1, 1, 1};
            long[] positions = {0, 1, 2, 3, 0, 1, 2, 3};
            KvCache prefix = runner.prefill(new DecoderBatch(2, 4, ids, 4, mask, positions));
            KvCache[] parts = runner.copyRows(prefix, new int[] {1, 0, 1}, new int[] {0});
            assertThat(parts[0].batch()).isEqualTo(3);
            assertThat(parts[1].batch()).isEqualTo(1);
            assertThat(parts[0].length()).isEqualTo(4);
            float[] first = runner.fullLogits(single(new long[] {5, 17, 42, 99, 12}, 0, 5));
            float[] second = runner.fullLogits(single(new long[] {3, 250, 7, 61, 12}, 0, 5));
            float[] expectedFirst = Arrays.copyOfRange(first, 4 * VOCAB, 5 * VOCAB);
            float[] expectedSecond = Arrays.copyOfRange(second, 4 * VOCAB, 5 * VOCAB);
            long[] fiveOnes = {1, 1, 1, 1, 1};
            DecodeStep three = runner.step(
                    new DecoderBatch(
                            3, 1, new long[] {12, 12, 12}, 5, concat(fiveOnes, fiveOnes, fiveOnes), new long[] {4, 4, 4
                            }),
                    parts[0],
                    new int[] {0, 1, 2});
            assertThat(maxDiff(Arrays.copyOfRange(three.logits(), 0, VOCAB), expectedSecond))
                    .isLessThan(1e-4f);
            assertThat(maxDiff(Arrays.copyOfRange(three.logits(), VOCAB, 2 * VOCAB), expectedFirst))
                    .isLessThan(1e-4f);
            assertThat(maxDiff(Arrays.copyOfRange(three.logits(), 2 * VOCAB, 3 * VOCAB), expectedSecond))
                    .isLessThan(1e-4f);
            DecodeStep one = runner.step(
                    new DecoderBatch(1, 1, new long[] {12}, 5, fiveOnes, new long[] {4}), parts[1], new int[] {0});
            assertThat(maxDiff(one.logits(), expectedFirst)).isLessThan(1e-4f);
            three.cache().close();
            one.cache().close();
            KvCache unread = runner.prefill(single(TOKENS, 0, 2));
            assertThatThrownBy(() -> runner.copyRows(unread, new int[] {0}, new int[] {0}, new int[] {0}))
                    .hasMessageContaining("1 to 2 parts, not 3");
            unread.close();
        }
    }

    private static long[] concat(long[]... arrays) {
        return Arrays.stream(arrays).flatMapToLong(Arrays::stream).toArray();
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aPrefillThroughTheGraphWithoutLogitsLeavesTheSameCache(Layout layout) {
        TinyDecoder model = TinyDecoder.small(layout, VOCAB);
        RunnerOptions options = RunnerOptions.on(ExecutionDevice.CPU, 1);
        try (DecoderRunner whole = DecoderRunner.open(model.build(), options);
                DecoderRunner pruned = DecoderRunner.open(model.build(), options.withPrefillGraph(true))) {
            assertThat(whole.hasPrefillGraph()).isFalse();
            assertThat(pruned.hasPrefillGraph()).isTrue();
            float[] expected = afterPrefill(whole, 6);
            float[] actual = afterPrefill(pruned, 6);
            assertThat(maxDiff(expected, actual)).isLessThan(1e-6f);
            float[] full = whole.fullLogits(single(TOKENS, 0, 7));
            assertThat(maxDiff(Arrays.copyOfRange(full, 6 * VOCAB, 7 * VOCAB), actual))
                    .isLessThan(1e-4f);
        }
    }

    @Test
    void aCacheFeedsOneRunAndASecondReadIsRefusedRatherThanCrashingOrt() {
        try (DecoderRunner runner = open(TinyDecoder.small(Layout.OPTIMUM, VOCAB), true)) {
            KvCache cache = runner.prefill(single(TOKENS, 0, 4));
            cache.values();
            assertThatThrownBy(cache::values)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot feed another");
            cache.close();
            assertThatThrownBy(cache::values).hasMessageContaining("consumed or closed");
        }
    }

    /** The logits of TOKENS[prefix] after a {@link DecoderRunner#prefill} of the tokens before it. */
    private static float[] afterPrefill(DecoderRunner runner, int prefix) {
        KvCache cache = runner.prefill(single(TOKENS, 0, prefix));
        long[] mask = new long[prefix + 1];
        Arrays.fill(mask, 1);
        DecodeStep step = runner.step(
                new DecoderBatch(
                        1,
                        1,
                        new long[] {TOKENS[prefix]},
                        prefix + 1,
                        mask,
                        runner.hasPositionIds() ? new long[] {prefix} : null),
                cache,
                new int[] {0});
        step.cache().close();
        return step.logits();
    }

    @Test
    void theStartUpCheckReportsACacheThatIsNotOnCuda() {
        RunnerOptions cpuSessionCudaCache =
                RunnerOptions.on(ExecutionDevice.CPU, 1).withKvDevice(ExecutionDevice.cuda(0));
        try (DecoderRunner runner =
                DecoderRunner.open(TinyDecoder.small(Layout.GENAI, VOCAB).build(), cpuSessionCudaCache)) {
            assertThat(runner.kvAllocatorName()).isEqualTo("Cpu");
            assertThatThrownBy(runner::verifyKvPlacement)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("present.0.key is in 'Cpu' memory, not on cuda:0");
        }
    }

    @Test
    void aCpuCacheOnACpuSessionPassesTheCheck() {
        try (DecoderRunner runner = open(TinyDecoder.small(Layout.OPTIMUM, VOCAB), true)) {
            runner.verifyKvPlacement();
            assertThat(runner.kvAllocatorName()).isEqualTo("Cpu");
        }
    }

    /** Logits at each position of TOKENS: a prefill of {@code prefix} tokens, then one token per step. */
    private static float[][] incremental(DecoderRunner runner, int prefix) {
        float[][] logits = new float[TOKENS.length][];
        DecodeStep step = runner.step(single(TOKENS, 0, prefix), null, new int[] {prefix - 1});
        logits[prefix - 1] = step.logits();
        for (int position = prefix; position < TOKENS.length; position++) {
            long[] mask = new long[position + 1];
            Arrays.fill(mask, 1);
            DecoderBatch batch = new DecoderBatch(
                    1,
                    1,
                    new long[] {TOKENS[position]},
                    position + 1,
                    mask,
                    runner.hasPositionIds() ? new long[] {position} : null);
            step = runner.step(batch, step.cache(), new int[] {0});
            logits[position] = step.logits();
        }
        step.cache().close();
        return logits;
    }

    private static DecoderBatch single(long[] tokens, int from, int to) {
        long[] ids = Arrays.copyOfRange(tokens, from, to);
        long[] mask = new long[ids.length];
        long[] positions = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            mask[i] = 1;
            positions[i] = i;
        }
        return new DecoderBatch(1, ids.length, ids, ids.length, mask, positions);
    }

    private static DecoderRunner open(TinyDecoder model, boolean ioBinding) {
        return DecoderRunner.open(
                model.build(), RunnerOptions.on(ExecutionDevice.CPU, 1).withIoBinding(ioBinding));
    }

    static float maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
