/**
 * Running a claimed job: the worker loop, heartbeats, stop signals, the model session and progress.
 * <p>Never: a task family's own code (it runs tasks through the task SPI), SQL of the queue.
 */
package ai.assay.worker.job;
