package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.worker.engine.FinishReason;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.testmodels.CharTokenizer;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.assay.worker.engine.testmodels.TinyDecoder.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GenerationTests {

    private static final int[][] PROMPTS = {
        {5, 17, 42},
        {99, 3, 250, 7, 61, 130, 12, 8, 9},
        {44},
        {200, 201, 202, 203, 204, 205},
        {13, 14, 15, 16, 17},
        {77, 78},
        {120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131}
    };

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aBatchEqualsItsRowsRunOneByOne(Layout layout) {
        TinyDecoder model = TinyDecoder.small(layout, TestEngines.VOCAB);
        List<GenerationRequest> requests = greedyRequests(12);
        Map<String, GenerationResult> alone;
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(1), -1)) {
            alone = run(lm, requests);
        }
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(8), -1)) {
            Map<String, GenerationResult> batched = run(lm, requests);
            assertSameTexts(batched, alone);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void rowsLeaveAndJoinARunningBatchWithoutChangingTheirText(Layout layout) {
        TinyDecoder model = TinyDecoder.small(layout, TestEngines.VOCAB);
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < PROMPTS.length; i++) {
            // Different lengths make rows finish at different steps, so the batch of 3 is trimmed and refilled.
            requests.add(new GenerationRequest("r" + i, PROMPTS[i], SamplingParams.greedy(3 + 4 * i, List.of())));
        }
        Map<String, GenerationResult> alone;
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(1), -1)) {
            alone = run(lm, requests);
        }
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(3), -1)) {
            Map<String, GenerationResult> continuous = run(lm, requests);
            assertSameTexts(continuous, alone);
            continuous.forEach((id, result) -> {
                assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
                assertThat(result.outputTokens()).isEqualTo(3 + 4 * Integer.parseInt(id.substring(1)));
            });
        }
    }

    @Test
    void theGenaiLayoutNeedsRightPadding() {
        // The same batch left-padded, as for Optimum exports, changes what GroupQueryAttention computes.
        TinyDecoder model = TinyDecoder.small(Layout.GENAI, TestEngines.VOCAB);
        List<GenerationRequest> requests = greedyRequests(8);
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(8), -1)) {
            Map<String, GenerationResult> right = run(lm, requests);
            OnnxLanguageModel onnx = (OnnxLanguageModel) lm;
            Map<String, GenerationResult> left = new TreeMap<>();
            onnx.generateWith(PaddingSide.LEFT, requests, sink(left));
            assertThat(left.values().stream().map(GenerationResult::text).toList())
                    .isNotEqualTo(
                            right.values().stream().map(GenerationResult::text).toList());
        }
    }

    @Test
    void theSameSeedGivesTheSameTextWhateverElseIsBatched() {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, TestEngines.VOCAB);
        SamplingParams seed42 = new SamplingParams(1.0, 0.9, 50, 20, 42, List.of());
        SamplingParams seed43 = new SamplingParams(1.0, 0.9, 50, 20, 43, List.of());
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(8), -1)) {
            String first = run(lm, List.of(new GenerationRequest("a", PROMPTS[1], seed42)))
                    .get("a")
                    .text();
            Map<String, GenerationResult> mixed = run(
                    lm,
                    List.of(
                            new GenerationRequest("x", PROMPTS[0], seed43),
                            new GenerationRequest("a", PROMPTS[1], seed42),
                            new GenerationRequest("b", PROMPTS[1], seed43),
                            new GenerationRequest("y", PROMPTS[3], SamplingParams.greedy(5, List.of()))));
            assertThat(mixed.get("a").text()).isEqualTo(first).hasSize(20);
            assertThat(mixed.get("b").text()).isNotEqualTo(first);
            SamplingParams pureTemperature = new SamplingParams(0.7, 1.0, 0, 20, 42, List.of());
            String t1 = run(lm, List.of(new GenerationRequest("t", PROMPTS[2], pureTemperature)))
                    .get("t")
                    .text();
            String t2 = run(lm, List.of(new GenerationRequest("t", PROMPTS[2], pureTemperature)))
                    .get("t")
                    .text();
            assertThat(t1).isEqualTo(t2);
        }
    }

    @Test
    void eosStopStringsAndMaxNewTokensEndARow() {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, TestEngines.VOCAB);
        int[] greedy;
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(4), -1)) {
            GenerationResult result = run(
                            lm, List.of(new GenerationRequest("g", PROMPTS[1], SamplingParams.greedy(10, List.of()))))
                    .get("g");
            greedy = new CharTokenizer(java.util.Set.of()).encode(result.text(), false);
            assertThat(greedy).hasSize(10);
        }
        int eos = greedy[4];
        int firstEos = indexOf(greedy, eos);
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(4), eos)) {
            String stop = CharTokenizer.text(greedy[2], greedy[3]);
            Map<String, GenerationResult> results = run(
                    lm,
                    List.of(
                            new GenerationRequest("eos", PROMPTS[1], SamplingParams.greedy(10, List.of())),
                            new GenerationRequest("stop", PROMPTS[1], SamplingParams.greedy(10, List.of("zzz", stop))),
                            new GenerationRequest("length", PROMPTS[1], SamplingParams.greedy(2, List.of()))));
            GenerationResult eosResult = results.get("eos");
            assertThat(eosResult.finishReason()).isEqualTo(FinishReason.EOS);
            assertThat(eosResult.outputTokens()).isEqualTo(firstEos + 1);
            assertThat(eosResult.text()).isEqualTo(CharTokenizer.text(java.util.Arrays.copyOf(greedy, firstEos)));
            GenerationResult stopResult = results.get("stop");
            if (firstEos > 3) {
                assertThat(stopResult.finishReason()).isEqualTo(FinishReason.STOP);
                assertThat(stopResult.outputTokens()).isEqualTo(4);
                assertThat(stopResult.text()).isEqualTo(CharTokenizer.text(greedy[0], greedy[1]));
            }
            assertThat(results.get("length").finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(results.get("length").text()).isEqualTo(CharTokenizer.text(greedy[0], greedy[1]));
        }
    }

    @Test
    void aSinkThatAsksToStopEndsGenerationBetweenSteps() {
        TinyDecoder model = TinyDecoder.small(Layout.OPTIMUM, TestEngines.VOCAB);
        try (LanguageModel lm = TestEngines.load(model, directory, TestEngines.cpu(2), -1)) {
            List<GenerationResult> received = new ArrayList<>();
            int[] checks = {0};
            lm.generate(greedyRequests(50), new GenerationSink() {
                @Override
                public void accept(GenerationResult result) {
                    received.add(result);
                }

                @Override
                public boolean shouldStop() {
                    return ++checks[0] > 5;
                }
            });
            assertThat(received).isEmpty();
            assertThat(checks[0]).isEqualTo(6);
        }
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static List<GenerationRequest> greedyRequests(int maxNewTokens) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < PROMPTS.length; i++) {
            requests.add(new GenerationRequest("r" + i, PROMPTS[i], SamplingParams.greedy(maxNewTokens, List.of())));
        }
        return requests;
    }

    static Map<String, GenerationResult> run(LanguageModel lm, List<GenerationRequest> requests) {
        Map<String, GenerationResult> results = new TreeMap<>();
        lm.generate(requests, sink(results));
        assertThat(results).hasSize(requests.size());
        return results;
    }

    private static GenerationSink sink(Map<String, GenerationResult> results) {
        return result -> assertThat(results.put(result.id(), result)).isNull();
    }

    private static void assertSameTexts(Map<String, GenerationResult> actual, Map<String, GenerationResult> expected) {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> e = new LinkedHashMap<>();
        actual.forEach((id, r) -> a.put(id, r.text()));
        expected.forEach((id, r) -> e.put(id, r.text()));
        assertThat(a).isEqualTo(e);
    }
}
