/**
 * The AlpacaEval task runner: generates or reads a model's outputs, joins them to the eval set and has them judged.
 * <p>Never: the queue or job packages (it works through the task SPI), metric or parsing semantics (eval-reference).
 */
package ai.assay.worker.alpacaeval;
