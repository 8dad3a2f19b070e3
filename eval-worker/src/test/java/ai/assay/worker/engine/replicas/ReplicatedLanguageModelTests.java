package ai.assay.worker.engine.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.worker.engine.FinishReason;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.Placement;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.TextTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a replicated model runs its replicas: a stop asked by the caller's sink stops every replica, a replica's
 * failure fails the call once the others have stopped, and closing leaves no thread behind. The replicas here are
 * scripted; the timeouts only turn a replica left running into a failure instead of a hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplicatedLanguageModelTests {

    /** What a scripted replica does with its share. */
    private interface Script {
        void run(Replica replica, List<GenerationRequest> shard, GenerationSink sink);
    }

    /** Answers its first request, then waits until told to stop. */
    private static final Script ANSWER_ONE_THEN_WAIT_FOR_THE_STOP = (replica, shard, sink) -> {
        sink.accept(replica.answer(shard.get(0)));
        while (!sink.shouldStop()) {
            Thread.onSpinWait();
        }
        replica.sawTheStop = true;
    };

    private static final class Replica implements LanguageModel {

        private final Script script;
        volatile Thread ranOn;
        volatile boolean sawTheStop;
        volatile boolean closed;
        RuntimeException onClose;
        int vocabSize = 10;
        String device = "cpu";

        Replica(Script script) {
            this.script = script;
        }

        GenerationResult answer(GenerationRequest request) {
            return new GenerationResult(request.id(), "text of " + request.id(), 1, 1, FinishReason.LENGTH, 0);
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("optimum", "fp32", device, 64, vocabSize, null, List.of(2), false);
        }

        @Override
        public TextTokenizer tokenizer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void generate(List<GenerationRequest> requests, GenerationSink sink) {
            ranOn = Thread.currentThread();
            script.run(this, requests, sink);
        }

        @Override
        public void loglikelihood(List<ScoringRequest> requests, ScoringSink sink) {
            ranOn = Thread.currentThread();
            for (ScoringRequest request : requests) {
                if (sink.shouldStop()) {
                    return;
                }
                sink.accept(new ScoringResult(request.id(), -request.continuationTokens().length, false));
            }
        }

        @Override
        public void close() {
            closed = true;
            if (onClose != null) {
                throw onClose;
            }
        }
    }

    private static List<GenerationRequest> requests(int count) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(new GenerationRequest("r" + i, new int[] {1, 2, 3}, SamplingParams.greedy(4, List.of())));
        }
        return requests;
    }

    private static void assertNoThreadLeft(Replica... replicas) {
        for (Replica replica : replicas) {
            assertThat(replica.ranOn.getName()).startsWith(ReplicatedLanguageModel.THREAD_NAME_PREFIX);
            assertThat(replica.ranOn.isDaemon()).isTrue();
            assertThat(replica.ranOn.isAlive()).as(replica.ranOn.getName()).isFalse();
            assertThat(replica.closed).isTrue();
        }
    }

    @Test
    void aStopAskedByTheCallersSinkStopsEveryReplicaAndNothingIsDeliveredAfterIt() {
        Replica first = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        Replica second = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        List<String> delivered = new ArrayList<>();
        var model = new ReplicatedLanguageModel(List.of(first, second));

        model.generate(requests(6), new GenerationSink() {
            @Override
            public void accept(GenerationResult result) {
                delivered.add(result.id());
            }

            @Override
            public boolean shouldStop() {
                return !delivered.isEmpty();
            }
        });
        model.close();

        assertThat(delivered).as("the first result asked for the stop").hasSize(1);
        assertThat(first.sawTheStop).isTrue();
        assertThat(second.sawTheStop).isTrue();
        assertNoThreadLeft(first, second);
    }

    @Test
    void aReplicaThatFailsFailsTheCallAfterTheOthersStopped() {
        IllegalStateException broken = new IllegalStateException("replica 0 broke");
        Replica failing = new Replica((replica, shard, sink) -> {
            throw broken;
        });
        Replica waiting = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        var model = new ReplicatedLanguageModel(List.of(failing, waiting));

        assertThatThrownBy(() -> model.generate(requests(4), result -> {})).isSameAs(broken);
        assertThat(waiting.sawTheStop).as("the other replica was stopped").isTrue();
        model.close();
        assertNoThreadLeft(failing, waiting);
    }

    @Test
    void aSinkThatThrowsEndsTheCallWithItsExceptionAfterTheReplicasStopped() {
        Replica first = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        Replica second = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        var model = new ReplicatedLanguageModel(List.of(first, second));

        assertThatThrownBy(() -> model.generate(requests(4), result -> {
                    throw new IllegalStateException("the lease was lost");
                }))
                .hasMessage("the lease was lost");
        assertThat(first.sawTheStop).isTrue();
        assertThat(second.sawTheStop).isTrue();
        model.close();
        assertNoThreadLeft(first, second);
    }

    @Test
    void theModelAnswersAgainAfterAStoppedCallAndScoresEveryRequestOnce() {
        Replica first = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        Replica second = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        try (var model = new ReplicatedLanguageModel(List.of(first, second))) {
            model.generate(requests(4), new GenerationSink() {
                @Override
                public void accept(GenerationResult result) {}

                @Override
                public boolean shouldStop() {
                    return true;
                }
            });
            List<ScoringRequest> scoring = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                scoring.add(new ScoringRequest("s" + i, new int[] {i % 3}, new int[i + 1]));
            }
            List<ScoringResult> scores = Collections.synchronizedList(new ArrayList<>());
            model.loglikelihood(scoring, scores::add);
            assertThat(scores)
                    .extracting(ScoringResult::id)
                    .containsExactlyInAnyOrder(
                            scoring.stream().map(ScoringRequest::id).toArray(String[]::new));
        }
        assertNoThreadLeft(first, second);
    }

    @Test
    void closingClosesEveryReplicaWhenOneCloseThrows() {
        Replica first = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        first.onClose = new IllegalStateException("first close failed");
        Replica second = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        var model = new ReplicatedLanguageModel(List.of(first, second));

        assertThatThrownBy(model::close).hasMessage("first close failed");
        assertThat(first.closed).isTrue();
        assertThat(second.closed).isTrue();
    }

    @Test
    void replicasOnOtherDevicesAreOneModelAndAReplicaOfAnotherModelIsRefused() {
        List<Replica> loaded = new ArrayList<>();
        LanguageModel model = ReplicatedLanguageModel.load(
                List.of(Placement.parse("cuda:0"), Placement.parse("cuda:1")), placement -> {
                    Replica replica = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
                    replica.device = placement.device().toString();
                    loaded.add(replica);
                    return replica;
                });
        assertThat(model.info().device()).isEqualTo("cuda:0");
        model.close();

        loaded.clear();
        assertThatThrownBy(() -> ReplicatedLanguageModel.load(List.of(Placement.CPU, Placement.CPU), placement -> {
                    Replica replica = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
                    replica.vocabSize = 10 + loaded.size();
                    loaded.add(replica);
                    return replica;
                }))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("is not the model the first replica is");
        assertThat(loaded)
                .hasSize(2)
                .allSatisfy(replica -> assertThat(replica.closed).isTrue());
    }

    @Test
    void oneDeviceLoadsThePlainModelAndAFailedLoadClosesTheReplicasLoaded() {
        Replica only = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
        assertThat(ReplicatedLanguageModel.load(List.of(Placement.CPU), placement -> only))
                .isSameAs(only);

        List<Replica> loaded = new ArrayList<>();
        AtomicInteger loads = new AtomicInteger();
        assertThatThrownBy(() -> ReplicatedLanguageModel.load(
                        List.of(Placement.parse("cuda:0"), Placement.parse("cuda:1")), placement -> {
                            if (loads.incrementAndGet() == 2) {
                                throw new ModelLoadException("out of memory on " + placement);
                            }
                            Replica replica = new Replica(ANSWER_ONE_THEN_WAIT_FOR_THE_STOP);
                            loaded.add(replica);
                            return replica;
                        }))
                .hasMessage("out of memory on cuda:1");
        assertThat(loaded)
                .singleElement()
                .satisfies(replica -> assertThat(replica.closed).isTrue());
    }
}
