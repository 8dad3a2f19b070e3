package ai.assay.worker.job;

import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.evaluation.RunState;
import ai.assay.worker.queue.ClaimedJob;
import ai.assay.worker.queue.JobQueue;
import ai.assay.worker.queue.JobQueuedNotifications;
import ai.assay.worker.system.WorkerIdentity;
import ai.assay.worker.system.WorkerProperties;
import ai.assay.worker.task.LeaseLostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker's main loop: claims queued jobs while it has free slots ({@code assay.worker.concurrency}) and
 * runs each on its own thread with a heartbeat. It claims when PostgreSQL notifies that a job was queued, again
 * as soon as one of its jobs ends, and on every poll as the fallback. On shutdown it stops claiming at once, lets running jobs go on
 * for half the grace period, then tells the rest to stop and give their job back; the heartbeats run until
 * each job is ended or released.
 */
@Component
class WorkerLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);

    private final JobQueue queue;
    private final JobQueuedNotifications notifications;
    private final JobRunner runner;
    private final EvaluationEndings endings;
    private final TransactionTemplate transactions;
    private final WorkerProperties properties;
    private final WorkerMetrics metrics;
    private final ApplicationEventPublisher events;
    private final String owner;

    private final Map<UUID, StopSignal> running = new ConcurrentHashMap<>();
    private final Semaphore slots;
    private ScheduledExecutorService scheduler;
    /** Claims run on this one thread only, so a slow database never holds the heartbeats' threads. */
    private ScheduledExecutorService claimer;

    private final AtomicBoolean claimPending = new AtomicBoolean();
    private ExecutorService jobThreads;
    private volatile boolean accepting;
    private volatile boolean started;

    WorkerLoop(
            JobQueue queue,
            JobQueuedNotifications notifications,
            JobRunner runner,
            EvaluationEndings endings,
            TransactionTemplate transactions,
            WorkerProperties properties,
            WorkerMetrics metrics,
            ApplicationEventPublisher events,
            WorkerIdentity identity) {
        this.queue = queue;
        this.notifications = notifications;
        this.runner = runner;
        this.endings = endings;
        this.transactions = transactions;
        this.properties = properties;
        this.metrics = metrics;
        this.events = events;
        this.owner = identity.id();
        this.slots = new Semaphore(properties.concurrency());
    }

    @Override
    public void start() {
        scheduler = Executors.newScheduledThreadPool(2, daemonThreads("assay-heartbeat"));
        jobThreads = Executors.newFixedThreadPool(properties.concurrency(), daemonThreads("assay-job"));
        accepting = true;
        started = true;
        claimer = Executors.newSingleThreadScheduledExecutor(daemonThreads("assay-claim"));
        claimer.scheduleWithFixedDelay(this::poll, 0, properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info(
                "Worker {} started: {} job(s) at a time, lease {}",
                owner,
                properties.concurrency(),
                properties.leaseDuration());
    }

    /** The fallback: claims on every poll, and (re)starts listening for queued jobs if it has stopped. */
    private void poll() {
        if (properties.listenForJobs() && accepting) {
            notifications.ensureListening(this::claimSoon);
        }
        claimWhileSlotsFree();
    }

    /**
     * Claims soon on the claim thread: called when a job was queued and when a job ends. Calls that come while a
     * claim is pending fold into it.
     */
    private void claimSoon() {
        if (!accepting || !claimPending.compareAndSet(false, true)) {
            return;
        }
        try {
            claimer.execute(() -> {
                claimPending.set(false);
                claimWhileSlotsFree();
            });
        } catch (RejectedExecutionException shuttingDown) {
            // the worker is stopping; nothing more is claimed
        }
    }

    private void claimWhileSlotsFree() {
        while (accepting && slots.tryAcquire()) {
            Optional<ClaimedJob> job;
            try {
                job = queue.claim(owner, properties.leaseDuration());
            } catch (RuntimeException e) {
                slots.release();
                log.warn("Could not claim a job: {}", e.getMessage());
                return;
            }
            if (job.isEmpty()) {
                slots.release();
                return;
            }
            metrics.claimed();
            StopSignal stop = new StopSignal();
            running.put(job.get().lease().evaluationId(), stop);
            jobThreads.execute(() -> execute(job.get(), stop));
        }
    }

    private void execute(ClaimedJob job, StopSignal stop) {
        UUID id = job.lease().evaluationId();
        try (Heartbeat heartbeat = new Heartbeat(
                queue, job.lease(), properties.leaseDuration(), properties.heartbeatInterval(), stop, scheduler)) {
            try {
                runner.run(job, stop);
            } catch (Throwable e) {
                failAttempt(job, e);
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
            }
        } finally {
            running.remove(id);
            slots.release();
            claimSoon();
        }
    }

    /** An error outside any task: this attempt is over; the job is tried again while attempts remain. */
    private void failAttempt(ClaimedJob job, Throwable e) {
        log.error(
                "Evaluation {} failed in the worker (attempt {})",
                job.lease().evaluationId(),
                job.lease().attempt(),
                e);
        try {
            RunState state = transactions.execute(status -> {
                RunState after = queue.failAttempt(job.lease(), JobRunner.describe(e));
                if (after == RunState.FAILED) {
                    endings.ended(job.lease().evaluationId());
                }
                return after;
            });
            if (state == RunState.FAILED) {
                metrics.ended(RunState.FAILED);
            } else {
                metrics.released();
            }
        } catch (LeaseLostException lost) {
            metrics.leaseLost();
        } catch (RuntimeException writeFailed) {
            log.warn(
                    "Could not record the failure of evaluation {}; its lease will expire and the reaper will"
                            + " requeue it",
                    job.lease().evaluationId(),
                    writeFailed);
        }
    }

    @Override
    public void stop(Runnable callback) {
        accepting = false;
        notifications.close();
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        Thread drain = new Thread(
                () -> {
                    try {
                        drain();
                    } finally {
                        shutdownExecutors();
                        started = false;
                        callback.run();
                    }
                },
                "assay-drain");
        drain.start();
    }

    @Override
    public void stop() {
        stop(() -> {});
    }

    private void drain() {
        Duration grace = properties.shutdownGrace();
        long deadline = System.nanoTime() + grace.toNanos();
        long stopAt = System.nanoTime() + grace.toNanos() / 2;
        if (!running.isEmpty()) {
            log.info("Shutting down: waiting up to {} for {} running job(s)", grace, running.size());
        }
        boolean told = false;
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            if (!told && System.nanoTime() >= stopAt) {
                log.info("Shutting down: telling {} job(s) to checkpoint and give their job back", running.size());
                running.values().forEach(stop -> stop.stop(StopReason.SHUTDOWN));
                told = true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!running.isEmpty()) {
            log.warn(
                    "Shutting down with {} job(s) still running; their leases will expire and they will be"
                            + " resumed elsewhere",
                    running.size());
        }
    }

    private void shutdownExecutors() {
        if (jobThreads != null) {
            jobThreads.shutdownNow();
        }
        if (claimer != null) {
            claimer.shutdownNow();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** Stops before the web server does, so probes answer while the worker drains. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 512;
    }

    /** How many jobs are running now. */
    int runningJobs() {
        return running.size();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
