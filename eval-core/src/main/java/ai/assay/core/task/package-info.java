/**
 * The task SPI: task definitions, their options and the registry of all task families; what the API validates a
 * request against and the worker resolves a task with.
 * <p>Never: a task family's own code (its package), the queue or jobs.
 */
package ai.assay.core.task;
