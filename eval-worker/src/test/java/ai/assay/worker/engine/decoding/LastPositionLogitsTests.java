package ai.assay.worker.engine.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.RunKind;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.builder.BuiltModelCache;
import ai.assay.worker.engine.builder.CheckpointBuilds;
import ai.assay.worker.engine.builder.GraphVariant;
import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A built checkpoint's decoder asked for the logits of each row's last position only ({@code logits_to_keep} 1)
 * generates and scores exactly as the same decoder computing every position's logits.
 */
class LastPositionLogitsTests {

    private static final int VOCAB = TestEngines.VOCAB;
    private static final int EOS = TestEngines.EOS;
    /** Prompts of different lengths, prefilled together: all but the longest are left-padded. */
    private static final int[] PROMPT_LENGTHS = {9, 3, 6, 1, 7};

    @TempDir
    Path temp;

    private Path built;

    @BeforeEach
    void build() {
        Path checkpoint =
                TinyCheckpoint.of(DecoderFamily.LLAMA).withVocab(VOCAB).writeTo(temp.resolve("checkpoint"));
        built = new CheckpointBuilds(new BuiltModelCache(temp.resolve("cache")))
                .build(checkpoint, CheckpointBuilds.VariantChoice.always(GraphVariant.CPU_FP32))
                .directory();
    }

    @Test
    void greedyGenerationsOfALeftPaddedBatchAreTheSameWithLastPositionLogits() {
        assertSameGenerations(requests(i -> SamplingParams.greedy(8, List.of())));
    }

    @Test
    void seededSampledGenerationsOfALeftPaddedBatchAreTheSameWithLastPositionLogits() {
        assertSameGenerations(requests(i -> new SamplingParams(0.9, 0.95, 0, 8, 100 + i, List.of())));
    }

    @Test
    void theGenerationPrefillHoldsOneLogitsRowPerPromptInsteadOfOnePerPosition() {
        int rows = PROMPT_LENGTHS.length;
        int longest = 9;
        try (Model kept = open(true);
                Model all = open(false)) {
            assertThat(kept.runner.keepsLogits()).isTrue();
            assertThat(all.runner.keepsLogits()).isFalse();
            run(kept.lm, requests(i -> SamplingParams.greedy(4, List.of())));
            run(all.lm, requests(i -> SamplingParams.greedy(4, List.of())));
            assertThat(kept.runner.peakLogitsBytes()).isEqualTo((long) rows * 1 * VOCAB * Float.BYTES);
            assertThat(all.runner.peakLogitsBytes()).isEqualTo((long) rows * longest * VOCAB * Float.BYTES);
        }
    }

    @Test
    void scoringIsTheSameAndStillReadsEveryPosition() {
        Random random = new Random(3);
        List<ScoringRequest> requests = new ArrayList<>();
        // three contexts of two choices each, as a multiple-choice question sends them (a shared-context prefill)
        for (int i = 0; i < 6; i++) {
            int[] context = new Random(i / 2).ints(3 + i / 2 * 4, 3, VOCAB).toArray();
            requests.add(new ScoringRequest(
                    "s" + i, context, random.ints(1 + i % 3, 3, VOCAB).toArray()));
        }
        try (Model kept = open(true);
                Model all = open(false)) {
            Map<String, ScoringResult> a = score(kept.lm, requests);
            Map<String, ScoringResult> b = score(all.lm, requests);
            assertThat(a).isEqualTo(b);
            assertThat(kept.runner.times().of(RunKind.PREFILL).runs())
                    .as("the shared contexts were prefilled")
                    .isPositive();
            assertThat(kept.runner.peakLogitsBytes())
                    .as("a scoring pass computes the logits of every position it scores")
                    .isGreaterThan((long) requests.size() * VOCAB * Float.BYTES);
        }
    }

    private void assertSameGenerations(List<GenerationRequest> requests) {
        Map<String, GenerationResult> a;
        Map<String, GenerationResult> b;
        try (Model kept = open(true);
                Model all = open(false)) {
            a = run(kept.lm, requests);
            b = run(all.lm, requests);
        }
        assertThat(a.values()).allSatisfy(r -> assertThat(r.outputTokens()).isPositive());
        assertThat(texts(a)).isEqualTo(texts(b));
        assertThat(a.values().stream().map(GenerationResult::outputTokens).toList())
                .isEqualTo(
                        b.values().stream().map(GenerationResult::outputTokens).toList());
    }

    private interface Sampling {
        SamplingParams of(int request);
    }

    private static List<GenerationRequest> requests(Sampling sampling) {
        Random random = new Random(11);
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < PROMPT_LENGTHS.length; i++) {
            requests.add(new GenerationRequest(
                    "g" + i, random.ints(PROMPT_LENGTHS[i], 3, VOCAB).toArray(), sampling.of(i)));
        }
        return requests;
    }

    private record Model(DecoderRunner runner, LanguageModel lm) implements AutoCloseable {
        @Override
        public void close() {
            lm.close();
        }
    }

    /** The built decoder behind the engine, with or without {@code logits_to_keep} fed. */
    private Model open(boolean keepLogits) {
        DecoderRunner runner = DecoderRunner.open(
                built.resolve("model.onnx"),
                RunnerOptions.on(ExecutionDevice.CPU, 1).withLogitsToKeep(keepLogits));
        ModelInfo info = new ModelInfo("optimum", "fp32", "cpu", 64, VOCAB, 1, List.of(EOS), false);
        LanguageModel lm = new OnnxLanguageModel(
                info,
                TestEngines.charText(EOS).load(built, null),
                runner,
                DecoderLayout.OPTIMUM,
                BatchLimits.of(8, 8192, Long.MAX_VALUE),
                null);
        return new Model(runner, lm);
    }

    private static Map<String, GenerationResult> run(LanguageModel lm, List<GenerationRequest> requests) {
        Map<String, GenerationResult> results = GenerationTests.run(lm, requests);
        return new TreeMap<>(results);
    }

    private static Map<String, String> texts(Map<String, GenerationResult> results) {
        Map<String, String> texts = new TreeMap<>();
        results.forEach((id, r) -> texts.put(id, r.text()));
        return texts;
    }

    private static Map<String, ScoringResult> score(LanguageModel lm, List<ScoringRequest> requests) {
        Map<String, ScoringResult> results = new TreeMap<>();
        lm.loglikelihood(requests, r -> results.put(r.id(), r));
        return results;
    }
}
