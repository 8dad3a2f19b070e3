package ai.assay.worker.engine.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.Placement;
import ai.assay.worker.engine.RunKind;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.decoding.EngineProperties;
import ai.assay.worker.engine.decoding.OnnxModelLoader;
import ai.assay.worker.engine.prompt.HfModelTextLoader;
import ai.assay.worker.engine.prompt.TestTokenizers;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A model split over two CPU engines answers as one engine does: the same greedy and seeded completions, the same
 * scores to the engine's tolerance across batch compositions (1e-4, as {@code ScoringTests} checks), every result
 * on the caller's thread.
 */
class ReplicatedEngineTests {

    private static final int VOCAB = TestTokenizers.DEFAULT_VOCAB_SIZE;

    @TempDir
    Path directory;

    private LanguageModel load(TinyDecoder model, int replicas) {
        TestTokenizers.writeByteLevelModelFiles(directory);
        model.writeTo(directory);
        EngineProperties engine =
                EngineProperties.defaults().withDevice("cpu").withThreads(1).withMaxBatchSize(4);
        OnnxModelLoader loader = new OnnxModelLoader(engine, new HfModelTextLoader());
        List<Placement> placements =
                IntStream.range(0, replicas).mapToObj(r -> Placement.CPU).toList();
        return ReplicatedLanguageModel.load(placements, placement -> loader.load(directory, null, placement));
    }

    private static List<GenerationRequest> generationRequests() {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int n = 0; n < 11; n++) {
            int i = n;
            int[] prompt = IntStream.range(0, 2 + (i * 5) % 13)
                    .map(t -> 3 + (i * 31 + t * 7) % (VOCAB - 10))
                    .toArray();
            SamplingParams sampling = i % 4 == 3
                    ? new SamplingParams(0.8, 0.9, 40, 6 + i, 1000 + i, List.of())
                    : SamplingParams.greedy(4 + (i * 3) % 11, List.of());
            requests.add(new GenerationRequest("g" + i, prompt, sampling));
        }
        return requests;
    }

    private static List<ScoringRequest> scoringRequests() {
        List<ScoringRequest> requests = new ArrayList<>();
        for (int q = 0; q < 5; q++) {
            int question = q;
            int[] context = IntStream.range(0, 6 + 3 * q)
                    .map(t -> 5 + (question * 17 + t * 11) % (VOCAB - 10))
                    .toArray();
            // the answer choices of a question share its context; the last question has one choice
            int choices = q == 4 ? 1 : 2 + q % 3;
            for (int c = 0; c < choices; c++) {
                int choice = c;
                int[] continuation = IntStream.range(0, 1 + (c + q) % 4)
                        .map(t -> 7 + (question * 5 + choice * 13 + t) % (VOCAB - 10))
                        .toArray();
                requests.add(new ScoringRequest("q" + q + "c" + c, context, continuation));
            }
        }
        return requests;
    }

    @ParameterizedTest
    @EnumSource(TinyDecoder.Layout.class)
    void twoReplicasGenerateWhatOneEngineGeneratesAndHandEveryResultToTheCallersThread(TinyDecoder.Layout layout) {
        TinyDecoder tiny = TinyDecoder.small(layout, VOCAB);
        List<GenerationRequest> requests = generationRequests();
        Map<String, GenerationResult> alone = new TreeMap<>();
        try (LanguageModel one = load(tiny, 1)) {
            assertThat(one).isNotInstanceOf(ReplicatedLanguageModel.class);
            one.generate(requests, result -> alone.put(result.id(), result));
        }
        Map<String, GenerationResult> split = new TreeMap<>();
        Set<Thread> deliveredOn = new HashSet<>();
        try (LanguageModel two = load(tiny, 2)) {
            assertThat(two)
                    .isInstanceOfSatisfying(
                            ReplicatedLanguageModel.class,
                            m -> assertThat(m.replicas()).isEqualTo(2));
            two.generate(requests, result -> {
                deliveredOn.add(Thread.currentThread());
                assertThat(split.put(result.id(), result)).as("answered once").isNull();
            });
            assertThat(two.times().of(RunKind.DECODE_STEP).runs())
                    .as("the replicas' times, summed")
                    .isPositive();
        }

        assertThat(split.keySet()).isEqualTo(alone.keySet()).hasSize(requests.size());
        split.forEach((id, result) -> {
            GenerationResult expected = alone.get(id);
            assertThat(result.text()).as(id).isEqualTo(expected.text());
            assertThat(result.outputTokens()).as(id).isEqualTo(expected.outputTokens());
            assertThat(result.promptTokens()).as(id).isEqualTo(expected.promptTokens());
            assertThat(result.finishReason()).as(id).isEqualTo(expected.finishReason());
        });
        assertThat(deliveredOn).containsExactly(Thread.currentThread());
    }

    @ParameterizedTest
    @EnumSource(TinyDecoder.Layout.class)
    void twoReplicasScoreAsOneEngineScores(TinyDecoder.Layout layout) {
        TinyDecoder tiny = TinyDecoder.small(layout, VOCAB);
        List<ScoringRequest> requests = scoringRequests();
        Map<String, ScoringResult> alone = new TreeMap<>();
        try (LanguageModel one = load(tiny, 1)) {
            one.loglikelihood(requests, result -> alone.put(result.id(), result));
        }
        Map<String, ScoringResult> split = new TreeMap<>();
        Set<Thread> deliveredOn = new HashSet<>();
        try (LanguageModel two = load(tiny, 2)) {
            two.loglikelihood(requests, new ScoringSink() {
                @Override
                public void accept(ScoringResult result) {
                    deliveredOn.add(Thread.currentThread());
                    assertThat(split.put(result.id(), result))
                            .as("answered once")
                            .isNull();
                }
            });
        }

        assertThat(split.keySet()).isEqualTo(alone.keySet()).hasSize(requests.size());
        split.forEach((id, result) -> {
            assertThat(result.logLikelihood()).as(id).isCloseTo(alone.get(id).logLikelihood(), within(1e-4));
            assertThat(result.greedy()).as(id).isEqualTo(alone.get(id).greedy());
        });
        assertThat(deliveredOn).containsExactly(Thread.currentThread());
    }

    @ParameterizedTest
    @EnumSource(TinyDecoder.Layout.class)
    void aStopAfterTheFirstResultEndsTheCallAndTheModelAnswersTheNextCallInFull(TinyDecoder.Layout layout) {
        List<GenerationRequest> requests = generationRequests();
        try (LanguageModel two = load(TinyDecoder.small(layout, VOCAB), 2)) {
            List<String> delivered = new ArrayList<>();
            two.generate(requests, new GenerationSink() {
                @Override
                public void accept(GenerationResult result) {
                    delivered.add(result.id());
                }

                @Override
                public boolean shouldStop() {
                    return !delivered.isEmpty();
                }
            });
            assertThat(delivered).hasSize(1);

            List<String> all = new ArrayList<>();
            two.generate(requests, result -> all.add(result.id()));
            assertThat(all).hasSize(requests.size()).doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest
    @EnumSource(TinyDecoder.Layout.class)
    void aCallWithFewerRequestsThanReplicasOrNoneAnswersEveryOne(TinyDecoder.Layout layout) {
        try (LanguageModel two = load(TinyDecoder.small(layout, VOCAB), 2)) {
            List<GenerationResult> results = new ArrayList<>();
            two.generate(List.of(), results::add);
            two.generate(List.of(generationRequests().get(0)), new GenerationSink() {
                @Override
                public void accept(GenerationResult result) {
                    results.add(result);
                }
            });
            assertThat(results).extracting(GenerationResult::id).containsExactly("g0");
        }
    }
}
