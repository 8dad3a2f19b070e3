/**
 * The task SPI's store of results, each write fenced by the job's lease.
 * <p>Never: SQL of results (eval-core's {@code results}).
 */
package ai.assay.worker.results;
