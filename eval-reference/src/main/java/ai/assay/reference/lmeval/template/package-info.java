/**
 * The subset of Jinja that lm-eval's task files use, rendered as lm-eval's StrictUndefined environment does.
 * <p>Never: Spring, JDBC, HTTP.
 */
package ai.assay.reference.lmeval.template;
