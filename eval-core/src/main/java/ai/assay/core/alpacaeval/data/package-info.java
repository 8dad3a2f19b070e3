/**
 * The AlpacaEval data the service reads: the eval set and length-control files, found in a data directory or
 * fetched from the Hub, and their settings.
 * <p>Never: parsing semantics of upstream files (eval-reference), the queue or jobs.
 */
package ai.assay.core.alpacaeval.data;
