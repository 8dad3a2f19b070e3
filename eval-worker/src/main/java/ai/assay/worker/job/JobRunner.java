package ai.assay.worker.job;

import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.outbound.FileRoots;
import ai.assay.core.results.TaskResultRepository;
import ai.assay.core.retry.TransientFailure;
import ai.assay.worker.engine.DeviceSlots;
import ai.assay.worker.engine.ModelLoader;
import ai.assay.worker.queue.ClaimedJob;
import ai.assay.worker.queue.DatabaseRetry;
import ai.assay.worker.queue.JobQueue;
import ai.assay.worker.queue.JobTask;
import ai.assay.worker.queue.Lease;
import ai.assay.worker.results.LeasedTaskStore;
import ai.assay.worker.system.WorkerProperties;
import ai.assay.worker.task.DatabaseUnavailableException;
import ai.assay.worker.task.JobStoppedException;
import ai.assay.worker.task.LeaseLostException;
import ai.assay.worker.task.TaskRunner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one claimed job: its unfinished tasks in order, each by its {@link TaskRunner}, then ends the job. A task
 * that throws fails alone and the others go on; the job succeeds only if every task succeeded. A stop (cancel,
 * lost lease, shutdown, an unreachable database) ends the job as its reason says. Every database call of the job
 * goes through a {@link DatabaseRetry}: a database restart or a dropped connection is the worker's trouble, so it is
 * retried, or the job is given back, and never fails a task.
 */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_ERROR_LENGTH = 4000;

    private final JobQueue queue;
    private final EvaluationRepository evaluations;
    private final TaskResultRepository results;
    private final EvaluationEndings endings;
    private final TransactionTemplate transactions;
    private final Map<String, TaskRunner> runners;
    private final ObjectProvider<ModelLoader> modelLoader;
    private final WorkerProperties properties;
    private final WorkerMetrics metrics;
    private final FileRoots modelRoots;
    private final DeviceSlots devices;

    JobRunner(
            JobQueue queue,
            EvaluationRepository evaluations,
            TaskResultRepository results,
            EvaluationEndings endings,
            TransactionTemplate transactions,
            List<TaskRunner> runners,
            ObjectProvider<ModelLoader> modelLoader,
            FileRoots modelRoots,
            WorkerProperties properties,
            WorkerMetrics metrics,
            DeviceSlots devices) {
        this.modelRoots = modelRoots;
        this.devices = devices;
        this.queue = queue;
        this.evaluations = evaluations;
        this.results = results;
        this.endings = endings;
        this.transactions = transactions;
        this.runners = runners.stream().collect(Collectors.toMap(TaskRunner::taskName, Function.identity()));
        this.modelLoader = modelLoader;
        this.properties = properties;
        this.metrics = metrics;
    }

    void run(ClaimedJob job, StopSignal stop) {
        Lease lease = job.lease();
        log.info(
                "Running evaluation {} (attempt {} of {}) of model {}",
                lease.evaluationId(),
                lease.attempt(),
                job.maxAttempts(),
                job.model().name());
        try (DeviceSlots.Lease device = devices.acquire();
                ModelSession model = new ModelSession(
                        modelLoader.getIfAvailable(),
                        modelRoots,
                        job.model(),
                        device.placements(),
                        new ModelBuildRecorder(evaluations, lease, DatabaseRetry.until(stop.retries())))) {
            for (JobTask task : job.tasks()) {
                if (stop.isStopped()) {
                    break;
                }
                if (!task.state().isTerminal()) {
                    runTask(job, task, model, stop);
                }
            }
        }
        finish(lease, stop);
    }

    private void runTask(ClaimedJob job, JobTask task, ModelSession model, StopSignal stop) {
        Lease lease = job.lease();
        DatabaseRetry retry = DatabaseRetry.until(stop.retries());
        try {
            retry.run(() -> queue.startTask(lease, task.id()));
            TaskRunner runner = runners.get(task.name());
            if (runner == null) {
                retry.run(() -> queue.finishTask(
                        lease,
                        task.id(),
                        RunState.FAILED,
                        "this worker has no runner for the task '%s'; it may be older than the API"
                                .formatted(task.name())));
                return;
            }
            var progress = new TaskProgressReporter(
                    queue, lease, task.id(), metrics, properties.progressInterval(), Clock.systemUTC(), retry);
            var store = new LeasedTaskStore(results, queue, transactions, lease, task.id(), retry);
            var context = new JobTaskContext(lease, task, job.model(), model, progress, store, stop);
            try {
                runner.run(context);
                progress.flush();
                retry.run(() -> queue.finishTask(lease, task.id(), RunState.SUCCEEDED, null));
            } catch (JobStoppedException e) {
                throw e;
            } catch (Exception e) {
                if (interrupted(e)) {
                    // The worker is shutting down and interrupted the job's thread: a stop, not a task failure.
                    Thread.interrupted();
                    stop.stop(StopReason.SHUTDOWN);
                    return;
                }
                if (TransientFailure.isTransientDatabaseError(e) || databaseStop(e)) {
                    // A call of the task's own met the outage, or the task wrapped the stop of its retries: the
                    // worker's trouble, not the task's.
                    log.warn(
                            "Task {} of evaluation {} met an unreachable database; giving the job back",
                            task.name(),
                            lease.evaluationId(),
                            e);
                    stop.stop(StopReason.DATABASE_UNREACHABLE);
                    return;
                }
                log.warn("Task {} of evaluation {} failed", task.name(), lease.evaluationId(), e);
                progress.flush();
                retry.run(() -> queue.finishTask(lease, task.id(), RunState.FAILED, describe(e)));
            }
        } catch (LeaseLostException e) {
            stop.stop(StopReason.LEASE_LOST);
        } catch (DatabaseUnavailableException e) {
            log.warn("Evaluation {} stops: {}", lease.evaluationId(), e.getMessage());
            stop.stop(interrupted(e) ? StopReason.SHUTDOWN : StopReason.DATABASE_UNREACHABLE);
        } catch (JobStoppedException e) {
            if (!stop.isStopped()) {
                throw new IllegalStateException("a task stopped without a stop reason", e);
            }
        }
    }

    private void finish(Lease lease, StopSignal stop) {
        stop.finishing();
        Thread.interrupted();
        StopReason reason = stop.reason();
        // The job's own retries may have ended with its stop; ending it gets about a lease period of its own.
        DatabaseRetry retry = DatabaseRetry.forAbout(properties.leaseDuration());
        try {
            if (reason == null) {
                RunState state = retry.call(() -> transactions.execute(status -> {
                    RunState ended = queue.complete(lease);
                    endings.ended(lease.evaluationId());
                    return ended;
                }));
                metrics.ended(state);
                log.info("Evaluation {} {}", lease.evaluationId(), state.value());
            } else if (reason == StopReason.CANCELLED) {
                retry.run(() -> transactions.executeWithoutResult(status -> {
                    queue.completeCancelled(lease);
                    endings.ended(lease.evaluationId());
                }));
                metrics.ended(RunState.CANCELLED);
                log.info("Evaluation {} cancelled", lease.evaluationId());
            } else if (reason == StopReason.SHUTDOWN || reason == StopReason.DATABASE_UNREACHABLE) {
                retry.run(() -> queue.release(lease));
                metrics.released();
                log.info(
                        "Evaluation {} released for a worker to resume{}",
                        lease.evaluationId(),
                        reason == StopReason.SHUTDOWN ? "" : " (the database was unreachable)");
            } else {
                metrics.leaseLost();
                log.warn("Evaluation {} is no longer this worker's; its results so far are kept", lease.evaluationId());
            }
        } catch (LeaseLostException e) {
            metrics.leaseLost();
            log.warn("Evaluation {} was taken over before it could be ended here", lease.evaluationId());
        } catch (DatabaseUnavailableException e) {
            log.warn(
                    "Evaluation {} could not be ended here ({}); its lease will expire and the reaper will requeue"
                            + " it",
                    lease.evaluationId(),
                    e.getMessage());
        }
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    private static boolean databaseStop(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseUnavailableException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getMessage();
        return message.length() <= MAX_ERROR_LENGTH ? message : message.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
