/**
 * The lm-eval task runner: encodes a task's requests, has the engine score them and stores per-document results
 * and aggregates.
 * <p>Never: the queue or job packages (it works through the task SPI), lm-eval semantics (eval-reference).
 */
package ai.assay.worker.lmeval;
