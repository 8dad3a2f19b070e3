package ai.assay.worker.engine.replicas;

import ai.assay.reference.chat.ChatMessage;
import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelBuild;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.Placement;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One model loaded once per device of a job, answering as one model: each {@link #generate} and
 * {@link #loglikelihood} call is split across the replicas by {@link RequestShards}, every replica runs its share on
 * a thread of its own, and every result is handed to the caller's sink on the caller's thread, as it finishes. The
 * caller sees what one engine gives it (the same completions and scores, see {@link RequestShards}), in another
 * order: results arrive as they finish on whichever replica, as they do on one engine, so callers key what they
 * store by the request's id, never by arrival.
 *
 * <p>The caller's sink is asked {@link GenerationSink#shouldStop() shouldStop} after each result and at least every
 * {@value #STOP_CHECK_MILLIS} ms while none arrives; once it says stop, every replica stops at its own next check
 * and no further result is delivered. A replica that fails stops the others too, and the call throws the first
 * failure (the others' added to it as suppressed) once every replica has returned: a call never returns while a
 * replica still runs, so closing the model after it is safe.
 *
 * <p>Like every {@link LanguageModel}, not thread-safe: one call at a time. {@link #info()}, the tokenizer, the chat
 * template and the build are the first replica's (every replica loads the same directory); {@link #times()} sums the
 * replicas', so its seconds, spent side by side, may add up to more than the wall-clock time.
 */
public final class ReplicatedLanguageModel implements LanguageModel {

    /** The names of the replicas' threads start with this. */
    public static final String THREAD_NAME_PREFIX = "assay-replica-";

    /** How often the caller's sink is asked whether to stop while no result arrives. */
    static final long STOP_CHECK_MILLIS = 100;

    private static final AtomicInteger MODELS = new AtomicInteger();

    private final List<LanguageModel> replicas;
    private final List<ReplicaThread> threads;
    private boolean closed;

    ReplicatedLanguageModel(List<LanguageModel> replicas) {
        if (replicas.size() < 2) {
            throw new IllegalArgumentException("a replicated model has at least two replicas");
        }
        this.replicas = List.copyOf(replicas);
        int model = MODELS.incrementAndGet();
        List<ReplicaThread> started = new ArrayList<>(replicas.size());
        for (int r = 0; r < replicas.size(); r++) {
            started.add(new ReplicaThread(THREAD_NAME_PREFIX + model + "-" + r));
        }
        this.threads = List.copyOf(started);
    }

    /**
     * Loads the model once on each placement, in order (the first load of a checkpoint builds it; the others reuse
     * the build): one placement gives the loaded model itself, several a {@link ReplicatedLanguageModel}. A load
     * that fails closes the replicas already loaded.
     *
     * @throws ModelLoadException when a replica is not the same model as the first (another vocabulary, length or
     *     layout), or as the loader throws
     */
    public static LanguageModel load(List<Placement> placements, Function<Placement, LanguageModel> loader) {
        if (placements.isEmpty()) {
            throw new IllegalArgumentException("a model is loaded on at least one device");
        }
        if (placements.size() == 1) {
            return loader.apply(placements.get(0));
        }
        List<LanguageModel> loaded = new ArrayList<>(placements.size());
        try {
            for (Placement placement : placements) {
                LanguageModel replica = loader.apply(placement);
                loaded.add(replica);
                requireSameModel(loaded.get(0).info(), replica.info(), placement);
            }
            return new ReplicatedLanguageModel(loaded);
        } catch (RuntimeException | Error e) {
            for (LanguageModel replica : loaded) {
                try {
                    replica.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private static void requireSameModel(ModelInfo first, ModelInfo replica, Placement placement) {
        ModelInfo comparable = new ModelInfo(
                replica.layout(),
                replica.dtype(),
                first.device(),
                replica.maxLength(),
                replica.vocabSize(),
                replica.bosTokenId(),
                replica.eosTokenIds(),
                replica.addBosToken());
        if (!comparable.equals(first)) {
            throw new ModelLoadException("the replica on %s is not the model the first replica is: %s, not %s"
                    .formatted(placement, replica, first));
        }
    }

    /** How many replicas answer. */
    public int replicas() {
        return replicas.size();
    }

    @Override
    public ModelInfo info() {
        return replicas.get(0).info();
    }

    @Override
    public TextTokenizer tokenizer() {
        return replicas.get(0).tokenizer();
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return replicas.get(0).applyChatTemplate(messages, addGenerationPrompt);
    }

    @Override
    public Optional<String> chatTemplateText() {
        return replicas.get(0).chatTemplateText();
    }

    @Override
    public Optional<ModelBuild> build() {
        return replicas.get(0).build();
    }

    @Override
    public void generate(List<GenerationRequest> requests, GenerationSink sink) {
        List<List<GenerationRequest>> shards = RequestShards.ofGeneration(requests, replicas.size());
        run(
                shards,
                (replica, shard, results, stop) -> replica.generate(shard, new GenerationSink() {
                    @Override
                    public void accept(GenerationResult result) {
                        results.accept(result);
                    }

                    @Override
                    public boolean shouldStop() {
                        return stop.getAsBoolean();
                    }
                }),
                sink::accept,
                sink::shouldStop);
    }

    @Override
    public void loglikelihood(List<ScoringRequest> requests, ScoringSink sink) {
        List<List<ScoringRequest>> shards = RequestShards.ofScoring(requests, replicas.size());
        run(
                shards,
                (replica, shard, results, stop) -> replica.loglikelihood(shard, new ScoringSink() {
                    @Override
                    public void accept(ScoringResult result) {
                        results.accept(result);
                    }

                    @Override
                    public boolean shouldStop() {
                        return stop.getAsBoolean();
                    }
                }),
                sink::accept,
                sink::shouldStop);
    }

    /** One replica's share of a call: its results go to {@code results}, and it stops when {@code stop} says. */
    private interface ShardCall<Q, R> {
        void run(LanguageModel replica, List<Q> shard, Consumer<R> results, BooleanSupplier stop);
    }

    private sealed interface Event<R> {}

    private record Result<R>(R value) implements Event<R> {}

    private record Ended<R>(int replica, Throwable failure) implements Event<R> {}

    private <Q, R> void run(
            List<List<Q>> shards, ShardCall<Q, R> call, Consumer<R> deliver, BooleanSupplier callerStops) {
        if (closed) {
            throw new IllegalStateException("the model is closed");
        }
        BlockingQueue<Event<R>> events = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        int running = 0;
        for (int r = 0; r < shards.size(); r++) {
            List<Q> shard = shards.get(r);
            if (shard.isEmpty()) {
                continue;
            }
            LanguageModel replica = replicas.get(r);
            int index = r;
            threads.get(r).submit(() -> {
                Throwable failure = null;
                try {
                    call.run(replica, shard, result -> events.add(new Result<>(result)), stop::get);
                } catch (Throwable t) {
                    failure = t;
                }
                events.add(new Ended<>(index, failure));
            });
            running++;
        }
        Throwable first = null;
        boolean interrupted = false;
        while (running > 0) {
            Event<R> event;
            try {
                event = events.poll(STOP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // the replicas must have returned before the call does: stop them, wait, then keep the interrupt
                interrupted = true;
                stop.set(true);
                continue;
            }
            try {
                if (event instanceof Result<R> result && !stop.get()) {
                    deliver.accept(result.value());
                } else if (event instanceof Ended<R> ended) {
                    running--;
                    if (ended.failure() != null) {
                        first = firstOf(first, ended.failure());
                        stop.set(true);
                    }
                }
                if (!stop.get() && callerStops.getAsBoolean()) {
                    stop.set(true);
                }
            } catch (RuntimeException | Error e) {
                // the caller's sink threw: the call ends with its exception, after the replicas stop
                first = firstOf(first, e);
                stop.set(true);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException("a replica failed: " + first.getMessage(), first);
        }
    }

    private static Throwable firstOf(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    @Override
    public EngineTimes times() {
        EngineTimes total = EngineTimes.NONE;
        for (LanguageModel replica : replicas) {
            total = total.plus(replica.times());
        }
        return total;
    }

    /** Ends the replicas' threads, then closes every replica, even when one close throws (the first is thrown). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        threads.forEach(ReplicaThread::finish);
        RuntimeException failure = null;
        for (LanguageModel replica : replicas) {
            try {
                replica.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A replica's own daemon thread: runs what it is given, one at a time, until finished. */
    private static final class ReplicaThread {

        private static final Runnable FINISH = () -> {};

        private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
        private final Thread thread;

        ReplicaThread(String name) {
            thread = new Thread(this::runWork, name);
            thread.setDaemon(true);
            thread.start();
        }

        void submit(Runnable task) {
            work.add(task);
        }

        private void runWork() {
            while (true) {
                Runnable task;
                try {
                    task = work.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (task == FINISH) {
                    return;
                }
                task.run();
            }
        }

        /** Returns once the thread has ended. */
        void finish() {
            work.add(FINISH);
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
