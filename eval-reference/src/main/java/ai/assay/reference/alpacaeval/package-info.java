/**
 * alpaca_eval's head-to-head annotations as its annotation files hold them; the metrics and the judge's answer
 * parsing are in the subpackages.
 * <p>Never: Spring, JDBC, HTTP.
 */
package ai.assay.reference.alpacaeval;
