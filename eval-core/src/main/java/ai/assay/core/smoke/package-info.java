/**
 * The smoke task family: a tiny task that checks a model loads and generates.
 * <p>Never: the queue or jobs.
 */
package ai.assay.core.smoke;
