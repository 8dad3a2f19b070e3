/**
 * The judge cache: completions keyed by everything that determines them, so a repeated question is never paid for
 * twice.
 * <p>Never: calling the judge.
 */
package ai.assay.worker.judge.cache;
