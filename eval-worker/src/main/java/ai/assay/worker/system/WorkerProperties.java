package ai.assay.worker.system;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of eval-worker, under {@code assay.worker}.
 *
 * @param id                the name this worker writes as lease owner; empty for host name, process id and a
 *                          random suffix (unique per process, so a restarted worker never inherits a lease)
 * @param concurrency       how many evaluations the worker runs at a time: one per GPU, or one on CPU
 * @param leaseDuration     how long a claimed job stays this worker's without a heartbeat; after that the reaper
 *                          may hand it to another worker
 * @param heartbeatInterval how often a running job's lease is renewed and its cancel flag read; at most a third
 *                          of the lease, and short enough that a cancel stops the job within seconds
 * @param pollInterval      how often an idle worker looks for queued jobs when no notification wakes it (the
 *                          fallback: with {@code listen-for-jobs}, a queued job is claimed at once)
 * @param reaperInterval    how often the reaper looks for expired leases and over-long jobs
 * @param maxRunTime        the longest an evaluation may run in all, over every attempt, before it fails
 * @param shutdownGrace     on SIGTERM: how long running jobs may go on before they are stopped and released
 * @param schemaWait        at start-up, how long to wait for pending migrations (applied by eval-api)
 * @param progressInterval  the least time between two progress writes of one task
 * @param listenForJobs     whether the worker LISTENs for PostgreSQL's notification that a job was queued and
 *                          claims at once (off: it finds jobs by polling only)
 */
@Validated
@ConfigurationProperties("assay.worker")
public record WorkerProperties(
        @DefaultValue("") String id,
        @DefaultValue("1") @Min(1) int concurrency,
        @DefaultValue("60s") Duration leaseDuration,
        @DefaultValue("2s") Duration heartbeatInterval,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("15s") Duration reaperInterval,
        @DefaultValue("48h") Duration maxRunTime,
        @DefaultValue("120s") Duration shutdownGrace,
        @DefaultValue("10m") Duration schemaWait,
        @DefaultValue("1s") Duration progressInterval,
        @DefaultValue("true") boolean listenForJobs) {

    public WorkerProperties {
        if (heartbeatInterval.multipliedBy(3).compareTo(leaseDuration) > 0) {
            throw new IllegalArgumentException(
                    "assay.worker.heartbeat-interval (%s) must be at most a third of".formatted(heartbeatInterval)
                            + " assay.worker.lease-duration (%s)".formatted(leaseDuration));
        }
    }
}
