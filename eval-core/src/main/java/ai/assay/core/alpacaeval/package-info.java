/**
 * AlpacaEval as a task family of the service: its task definitions and options.
 * <p>Never: the metrics or parsers themselves (eval-reference's {@code alpacaeval}), the queue, jobs or HTTP.
 */
package ai.assay.core.alpacaeval;
