/**
 * Per-example results of a task (sample scores, generations, judgments): their rows and all of their SQL.
 * <p>Never: lease checks (the worker fences its writes), evaluation rows.
 */
package ai.assay.core.results;
