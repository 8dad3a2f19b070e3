/**
 * The smoke task runner.
 * <p>Never: the queue or job packages (it works through the task SPI).
 */
package ai.assay.worker.smoke;
