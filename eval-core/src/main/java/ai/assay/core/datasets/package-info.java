/**
 * Benchmark rows: a split found in a local directory, the cache or downloaded from the Hugging Face Hub, read
 * from parquet or JSON lines, with an offline mode.
 * <p>Never: what a task does with its rows (eval-reference), the queue or jobs.
 */
package ai.assay.core.datasets;
