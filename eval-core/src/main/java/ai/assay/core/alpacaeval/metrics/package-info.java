/**
 * AlpacaEval's metrics as stored metric values of a task result.
 * <p>Never: computing them (eval-reference's {@code alpacaeval.metrics}).
 */
package ai.assay.core.alpacaeval.metrics;
