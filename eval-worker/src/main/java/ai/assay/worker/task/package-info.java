/**
 * The task SPI of the worker: what a task runner is given (context, store, progress) and what stops it.
 * <p>Never: the queue or job packages; a task family's own code.
 */
package ai.assay.worker.task;
