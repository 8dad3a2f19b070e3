/**
 * alpaca_eval's annotator configs: downloading, reading and choosing them, and parsing the judge's preference.
 * <p>Never: calling the judge.
 */
package ai.assay.worker.judge.annotator;
