package ai.assay.worker.job;

import ai.assay.worker.queue.HeartbeatResult;
import ai.assay.worker.queue.JobQueue;
import ai.assay.worker.queue.Lease;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a running job's lease on a schedule and doubles as its cancel channel. When the lease is lost the job is
 * told to stop; when it cannot be renewed before it would expire (the database is unreachable) the job is told to
 * stop and give itself back: by then another worker may own it, which the release, fenced by the lease, finds out.
 */
final class Heartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final JobQueue queue;
    private final Lease lease;
    private final Duration leaseDuration;
    private final StopSignal stop;
    private final ScheduledFuture<?> schedule;
    private volatile long lastRenewalNanos = System.nanoTime();

    Heartbeat(
            JobQueue queue,
            Lease lease,
            Duration leaseDuration,
            Duration interval,
            StopSignal stop,
            ScheduledExecutorService scheduler) {
        this.queue = queue;
        this.lease = lease;
        this.leaseDuration = leaseDuration;
        this.stop = stop;
        this.schedule = scheduler.scheduleWithFixedDelay(
                this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        if (stop.isFinishing()) {
            return;
        }
        try {
            HeartbeatResult result = queue.heartbeat(lease, leaseDuration);
            switch (result) {
                case RENEWED -> lastRenewalNanos = System.nanoTime();
                case CANCEL_REQUESTED -> {
                    lastRenewalNanos = System.nanoTime();
                    stop.stop(StopReason.CANCELLED);
                }
                case LOST -> {
                    log.warn("Lost the lease of evaluation {} (attempt {})", lease.evaluationId(), lease.attempt());
                    stop.stop(StopReason.LEASE_LOST);
                }
            }
        } catch (RuntimeException e) {
            Duration sinceRenewal = Duration.ofNanos(System.nanoTime() - lastRenewalNanos);
            log.warn(
                    "Could not renew the lease of evaluation {} ({} since the last renewal): {}",
                    lease.evaluationId(),
                    sinceRenewal,
                    e.getMessage());
            if (sinceRenewal.compareTo(leaseDuration) >= 0) {
                stop.stop(StopReason.DATABASE_UNREACHABLE);
            }
        }
    }

    @Override
    public void close() {
        schedule.cancel(false);
    }
}
