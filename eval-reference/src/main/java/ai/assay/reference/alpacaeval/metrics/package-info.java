/**
 * alpaca_eval's metrics: win rate, the length-controlled win rate (its GLM, the fold assignment of numpy's
 * {@code GroupKFold}, the soft-label logistic regression) and output lengths, equal to the reference on the same
 * annotations.
 * <p>Never: Spring, JDBC, HTTP, or the shape of Assay's stored metric values (eval-core converts).
 */
package ai.assay.reference.alpacaeval.metrics;
