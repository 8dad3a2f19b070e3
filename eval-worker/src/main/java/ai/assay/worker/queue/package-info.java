/**
 * The job queue: claiming jobs with leases, heartbeats and the reaper of stale leases; all of the queue's SQL;
 * retrying a running job's database calls through a database outage ({@code DatabaseRetry}).
 * <p>Never: running jobs ({@code job}) or tasks.
 */
package ai.assay.worker.queue;
