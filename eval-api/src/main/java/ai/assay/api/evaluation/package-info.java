/**
 * Evaluation endpoints: submit, read, list and cancel.
 * <p>Never: SQL (eval-core's {@code evaluation}).
 */
package ai.assay.api.evaluation;
