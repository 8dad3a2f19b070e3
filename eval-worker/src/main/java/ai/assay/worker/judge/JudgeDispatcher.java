package ai.assay.worker.judge;

import ai.assay.core.retry.RetryPolicy;
import ai.assay.core.retry.RunStop;
import ai.assay.core.retry.TransientFailure;
import ai.assay.reference.alpacaeval.judging.PromptMessage;
import ai.assay.worker.judge.annotator.Annotator;
import ai.assay.worker.judge.client.JudgeCallException;
import ai.assay.worker.judge.client.JudgeClient;
import ai.assay.worker.judge.client.JudgeResponse;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends the judge requests of one run: up to {@code concurrency} in flight, on a pool of the run's own, each retried
 * by the {@link RetryPolicy} while {@link JudgeCallException.Kind#retryable()} says another try may cure it.
 *
 * <p>Nothing of a run outlives {@link #dispatch}. However it ends (every request answered, the budget reached, a
 * request that failed the run, the caller's stop), the run's {@link RunStop} is set, so that no request starts and
 * no retry wait goes on; the futures still outstanding are cancelled; and {@code dispatch} waits for the pool's
 * threads before it returns or throws. An interrupt alone would not do: the OpenAI SDK's blocking call does not
 * answer it, and a sleeper may swallow it. A request already on the wire is waited for (at most the request timeout)
 * rather than abandoned, so a failed or cancelled run cannot go on spending in the background.
 */
final class JudgeDispatcher {

    private static final long POLL_MILLIS = 50;

    private final Supplier<JudgeClient> client;
    private final RetryPolicy retries;
    private final int concurrency;

    /**
     * @param client opened on first use, so a worker without judge settings starts and fails only when judging
     */
    JudgeDispatcher(Supplier<JudgeClient> client, RetryPolicy retries, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.client = client;
        this.retries = retries;
        this.concurrency = concurrency;
    }

    /**
     * One request and what its outcome becomes. The methods run on a pool thread.
     *
     * @param <A> the outcome
     */
    interface Request<A> {

        /** @throws IllegalArgumentException when the prompt cannot be built (the request is then refused) */
        List<PromptMessage> messages();

        A answered(JudgeResponse response);

        /** @param status the HTTP status, null when there was no response */
        A refused(String reason, Integer status);
    }

    /**
     * Sends the requests, taking them from the front of {@code pending}; see the class comment.
     *
     * @param mayStart  asked on this thread before each request starts (the budget); once false, no more start and
     *                  the ones in flight finish; the requests not started stay in {@code pending}
     * @param onDone    gets each outcome on this thread as it finishes
     * @param checkStop called at least every {@value #POLL_MILLIS} ms; when it throws, the run ends with that
     * @throws JudgeException when the judge refuses the configuration or a request keeps failing
     */
    <A> void dispatch(
            Annotator annotator,
            Deque<? extends Request<A>> pending,
            BooleanSupplier mayStart,
            Consumer<A> onDone,
            Runnable checkStop) {
        JudgeClient judge = client.get();
        RunStop stop = new RunStop();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.min(concurrency, pending.size()), threads(annotator.name(), threads));
        CompletionService<A> finished = new ExecutorCompletionService<>(pool);
        Set<Future<A>> inFlight = new HashSet<>();
        boolean starting = true;
        try {
            while (!pending.isEmpty() || !inFlight.isEmpty()) {
                checkStop.run();
                while (starting && inFlight.size() < concurrency && !pending.isEmpty()) {
                    if (!mayStart.getAsBoolean()) {
                        starting = false;
                        break;
                    }
                    Request<A> request = pending.poll();
                    inFlight.add(finished.submit(() -> send(judge, annotator, request, stop)));
                }
                if (inFlight.isEmpty()) {
                    break;
                }
                Future<A> done = finished.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (done != null) {
                    inFlight.remove(done);
                    onDone.accept(outcome(done));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException("interrupted while judging");
        } finally {
            stop.stop();
            inFlight.forEach(future -> future.cancel(true));
            pool.shutdownNow();
            awaitThreads(pool, threads);
        }
    }

    /** One request with its retries; runs on a pool thread. */
    private <A> A send(JudgeClient judge, Annotator annotator, Request<A> request, RunStop stop)
            throws InterruptedException {
        List<PromptMessage> messages;
        try {
            messages = request.messages();
        } catch (IllegalArgumentException e) {
            return request.refused("the prompt cannot be built: " + e.getMessage(), null);
        }
        return retries.run(
                () -> attempt(judge, annotator, messages, request),
                stop,
                (last, attempts) -> new JudgeException("the judge failed " + attempts
                        + " times in a row for one request; last: " + last.getMessage()));
    }

    private static <A> A attempt(
            JudgeClient judge, Annotator annotator, List<PromptMessage> messages, Request<A> request) {
        try {
            return request.answered(judge.complete(annotator.model(), messages, annotator.requestParams()));
        } catch (JudgeCallException e) {
            if (e.kind() == JudgeCallException.Kind.CONFIGURATION) {
                throw new JudgeException("the judge refused the request (" + e.getMessage() + "): check"
                        + " assay.judge.base-url, the API key and model " + annotator.model());
            }
            if (!e.kind().retryable()) {
                return request.refused(e.getMessage(), e.status());
            }
            throw new TransientFailure(e.getMessage(), e.retryAfter(), e);
        }
    }

    private static <A> A outcome(Future<A> done) throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JudgeException judgeException) {
                throw judgeException;
            }
            throw new JudgeException("judging failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Waits until every thread of the pool has ended: the pool's termination, then each thread's own end, since a
     * pool counts as terminated while its last threads are still returning. An interrupt does not cut this short
     * (it is kept for the caller): the threads end soon anyway, as the run's stop is set, and returning first would
     * let them outlive it.
     */
    private static void awaitThreads(ExecutorService pool, List<Thread> threads) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String annotator, List<Thread> started) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "judge-" + annotator + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            started.add(thread);
            return thread;
        };
    }
}
