/**
 * What alpaca_eval does around one judge call: the prompt template and its messages, the output order switch,
 * and the parsers of the judge's answer (ranking, regex, logprobs, completion parsing).
 * <p>Never: calling the judge (the worker's {@code judge} package does), Spring, JDBC, HTTP.
 */
package ai.assay.reference.alpacaeval.judging;
