/**
 * alpaca_eval imports and exports: annotation files in, leaderboard-compatible files out.
 * <p>Never: the metrics (eval-reference).
 */
package ai.assay.api.alpacaeval;
